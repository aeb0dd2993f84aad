"""Built-in plugins: classifiers, decomposers, router policies and aggregators."""
