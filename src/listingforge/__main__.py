"""``python -m listingforge``: the same as the ``listingforge`` command."""

from .cli import main

main()
