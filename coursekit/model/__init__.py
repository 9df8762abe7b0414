"""The course's content as data: paths, the list of lessons, sources, claims, data tables, problems."""
