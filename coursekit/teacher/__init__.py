"""The teacher's commands: grade, report, links, pack and slides, and what they share."""
