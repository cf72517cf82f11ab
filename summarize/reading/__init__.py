"""Reading a page: the input files and fetched pages (reader, fetch), the bytes decoded and the
article cleaned out of the page (cleaner) with its declared fields (metadata), its language and
its sentences (language, segmenter); letters holds the Vietnamese alphabet every stage shares."""
