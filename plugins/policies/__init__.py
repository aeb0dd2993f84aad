"""Built-in router policies: threshold, fixed (local-only, cloud-only) and the learned rl policy."""
