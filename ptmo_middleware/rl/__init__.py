"""The reinforcement-learning router: environment, reward with a Lagrangian budget
constraint, training (PPO/A2C/DQN with dual ascent) and the NumPy policy the ``rl``
router plugin runs. Needs the ``rl`` extra (stable-baselines3, gymnasium, torch) to
train or to load a policy."""
