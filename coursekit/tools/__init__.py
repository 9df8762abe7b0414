"""The maintainer's pipeline: build the notebooks, lint and check the content, the kernel sandbox."""
