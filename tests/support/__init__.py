"""What the tests share, so that no test module imports another:

- builders: OCPI documents (locations, EVSEs, connectors, tariffs, sessions, CDRs, tokens), and
  `example(name)` for our fuller example documents in documents/;
- priced_cdrs: the charge the tests of stored CDRs' pricing share, built with builders;
- engine: the pricing engine's inputs, written inline;
- strategies: hypothesis strategies for what partners may send;
- connections: partner connections stored as a completed handshake leaves them;
- partners: partner platforms on loopback HTTP (fixtures partner_server, fake_partner);
- instances: real instances of the portal (fixtures cpo_instance, emsp_instance), and inside:
  the functions a test runs in an instance's own process.
"""
