SELECT
  json_build_object(
    'contains',
    (
      SELECT
        coalesce(
          json_agg(json_build_object('title', "t0"."title")),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t0".*
          FROM
            "blog"."posts" "t0"
          WHERE
            "t0"."title" LIKE $1
          LIMIT
            $2
        ) "t0"
    ),
    'startsWith',
    (
      SELECT
        coalesce(
          json_agg(json_build_object('title', "t1"."title")),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t1".*
          FROM
            "blog"."posts" "t1"
          WHERE
            "t1"."title" LIKE $3
          LIMIT
            $4
        ) "t1"
    ),
    'endsWith',
    (
      SELECT
        coalesce(
          json_agg(json_build_object('title', "t2"."title")),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t2".*
          FROM
            "blog"."posts" "t2"
          WHERE
            "t2"."title" LIKE $5
          LIMIT
            $6
        ) "t2"
    ),
    'like',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t3"."title")
            ORDER BY
              "t3"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t3".*,
            "t3"."created_at" AS "_o0"
          FROM
            "blog"."posts" "t3"
          WHERE
            "t3"."title" LIKE $7
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $8
        ) "t3"
    ),
    'ilike',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t4"."title")
            ORDER BY
              "t4"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t4".*,
            "t4"."created_at" AS "_o0"
          FROM
            "blog"."posts" "t4"
          WHERE
            "t4"."title" ILIKE $9
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $10
        ) "t4"
    ),
    'eq',
    (
      SELECT
        coalesce(
          json_agg(json_build_object('title', "t5"."title")),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t5".*
          FROM
            "blog"."posts" "t5"
          WHERE
            "t5"."title" = $11
          LIMIT
            $12
        ) "t5"
    )
  )::text AS body;
-- $1 = "%\\%%"
-- $2 = 1000
-- $3 = "Bo%"
-- $4 = 1000
-- $5 = "%post"
-- $6 = 1000
-- $7 = "%o%"
-- $8 = 1000
-- $9 = "%O%"
-- $10 = 1000
-- $11 = "Orphan"
-- $12 = 1000
