-- Placeholder: the search helper writes the schema.
SELECT 1;
