"""Training personal LoRA adapters on the device: the user's history (scrubbed), the
training data, the trainer, a history generator and the Ollama export. Adapters are
stored and applied by :mod:`ptmo_middleware.personalization`."""
