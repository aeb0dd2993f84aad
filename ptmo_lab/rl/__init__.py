"""Training and evaluating the reinforcement-learning router: the environment, reward with
a Lagrangian budget constraint, calibration from the data sets, PPO/A2C/DQN with dual
ascent, and the hard baselines it is measured against (:mod:`.baselines`: a per-session
greedy knapsack, a budgeted contextual bandit). The policy the router runs is
:mod:`ptmo_middleware.rl.policy`."""
