"""The lab: what ptmo-middleware needs offline and a request never does (training the
classifiers, the judge, the RL router and LoRA adapters; evaluation, attacks, benchmarks,
budget calibration, the data sets). It imports the runtime package
(:mod:`ptmo_middleware`); the runtime never imports it."""
