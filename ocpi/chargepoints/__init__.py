"""The port to our CPO's charge points: callbacks, the simulator and its tasks."""
