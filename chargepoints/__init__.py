"""Our CPO's charge-point back end behind the port in ocpi: callbacks, the simulator, its tasks."""
