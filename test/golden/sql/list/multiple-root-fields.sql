SELECT
  json_build_object(
    '__typename',
    'Query',
    'first',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              '__typename',
              'User',
              'handle',
              "t0"."name",
              'role',
              "t0"."role"
            )
            ORDER BY
              "t0"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t0".*,
            "t0"."name" AS "_o0"
          FROM
            "blog"."users" "t0"
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $1
        ) "t0"
    ),
    'last',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              '__typename',
              'User',
              'handle',
              "t1"."name",
              'role',
              "t1"."role"
            )
            ORDER BY
              "t1"."_o0" DESC NULLS FIRST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t1".*,
            "t1"."name" AS "_o0"
          FROM
            "blog"."users" "t1"
          ORDER BY
            "_o0" DESC NULLS FIRST
          LIMIT
            $2
        ) "t1"
    ),
    'tagsAggregate',
    (
      SELECT
        json_build_object('__typename', 'TagAggregate', 'count', count(*))
      FROM
        "blog"."tags" "t2"
      GROUP BY
        ()
    )
  )::text AS body;
-- $1 = 1
-- $2 = 1
