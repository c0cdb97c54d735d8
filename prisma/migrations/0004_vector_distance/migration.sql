-- Vector search without pgvector: vector columns are real[] there, and similar<Plural> ranks rows
-- by these functions in an exact scan. They give pgvector's values: <-> (L2), <=> (cosine
-- distance) and <#> (negative inner product). Zero vectors have no cosine distance (NULL).
CREATE FUNCTION koyalite.vector_l2_distance(a real[], b real[]) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT sqrt(sum((x::float8 - y::float8) ^ 2)) FROM unnest(a, b) AS u(x, y)
$$;
CREATE FUNCTION koyalite.vector_cosine_distance(a real[], b real[]) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT 1 - sum(x::float8 * y::float8) / nullif(sqrt(sum(x::float8 * x::float8)) * sqrt(sum(y::float8 * y::float8)), 0)
  FROM unnest(a, b) AS u(x, y)
$$;
CREATE FUNCTION koyalite.vector_negative_inner_product(a real[], b real[]) RETURNS double precision
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
  SELECT -sum(x::float8 * y::float8) FROM unnest(a, b) AS u(x, y)
$$;
GRANT EXECUTE ON FUNCTION koyalite.vector_l2_distance(real[], real[]), koyalite.vector_cosine_distance(real[], real[]),
  koyalite.vector_negative_inner_product(real[], real[]) TO koyalite_user;
