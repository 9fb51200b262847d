"""``python -m ontrack``: the ``ontrack`` command line."""

from ontrack.cli import main

if __name__ == "__main__":
    main()
