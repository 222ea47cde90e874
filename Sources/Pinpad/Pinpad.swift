// The OPI terminal simulator.
