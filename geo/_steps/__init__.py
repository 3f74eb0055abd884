"""The geocoder's matching steps, one module each, in the order they run.

Each step is a mixin of the resolver (:class:`geo._resolver.Resolver`): it
takes the queries still without an answer and returns the result rows it
decides (see :mod:`geo._matching`); the rest go on to the next step.

1. :mod:`.exact`: the key, then the words in any order;
2. :mod:`.skeleton`: the same consonants as a district or province name;
3. :mod:`.fuzzy`: rapidfuzz scores, with a margin against rival readings;
4. :mod:`.alternates`: the second name of "X (Y)", "X - Y", "X <province>";
5. :mod:`.neighbours`: a district of a neighbouring province, near the border;
6. :mod:`.fallback`: an optional geopy geocoder, its point placed in a district.
"""
