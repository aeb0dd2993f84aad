"""Built-in routers plugins."""
