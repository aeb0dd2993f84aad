"""Built-in decomposers plugins."""
