"""Quizzes and exercise checks: banks, number parsing, widgets, checks."""
