"""What the tests share: documents (builders, and our example documents in documents/), the
partner platforms they talk to on loopback HTTP (partners), the partner connections stored here
(connections), the pricing engine's inputs (engine), and whole instances of the portal
(instances, with `inside` run in an instance's own process)."""
