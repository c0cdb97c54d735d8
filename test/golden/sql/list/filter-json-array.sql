SELECT
  json_build_object(
    'jsonContains',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t0"."title", 'meta', "t0"."meta")
            ORDER BY
              "t0"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t0".*,
            "t0"."title" AS "_o0"
          FROM
            "blog"."posts" "t0"
          WHERE
            "t0"."meta" @> $1::jsonb
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $2
        ) "t0"
    ),
    'jsonHasKey',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t1"."title", 'meta', "t1"."meta")
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t1".*
          FROM
            "blog"."posts" "t1"
          WHERE
            "t1"."meta" ? $3
          LIMIT
            $4
        ) "t1"
    ),
    'arrayContains',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t2"."title", 'labels', "t2"."labels")
            ORDER BY
              "t2"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t2".*,
            "t2"."title" AS "_o0"
          FROM
            "blog"."posts" "t2"
          WHERE
            "t2"."labels" @> $5
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $6
        ) "t2"
    ),
    'arrayOverlaps',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t3"."title", 'labels', "t3"."labels")
            ORDER BY
              "t3"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t3".*,
            "t3"."title" AS "_o0"
          FROM
            "blog"."posts" "t3"
          WHERE
            "t3"."labels" && $7
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $8
        ) "t3"
    ),
    'arrayIsNull',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t4"."title", 'labels', "t4"."labels")
            ORDER BY
              "t4"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t4".*,
            "t4"."title" AS "_o0"
          FROM
            "blog"."posts" "t4"
          WHERE
            "t4"."labels" IS NULL
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $9
        ) "t4"
    )
  )::text AS body;
-- $1 = "{\"lang\":\"en\"}"
-- $2 = 1000
-- $3 = "pinned"
-- $4 = 1000
-- $5 = ["news"]
-- $6 = 1000
-- $7 = ["intro","other"]
-- $8 = 1000
-- $9 = 1000
