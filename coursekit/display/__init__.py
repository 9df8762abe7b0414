"""What the learner sees: charts, explorations and tables."""
