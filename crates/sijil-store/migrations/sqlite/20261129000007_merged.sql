-- Reading a person gathers what belongs to every person merged into them (their events,
-- documents, alerts), following persons.merged_into backwards with a recursive query. Without
-- this index each step of that walk would scan every person; with it, a person nobody was
-- merged into costs one index probe. Partial: almost every person has merged_into NULL.
CREATE INDEX persons_merged_into ON persons (merged_into) WHERE merged_into IS NOT NULL;
