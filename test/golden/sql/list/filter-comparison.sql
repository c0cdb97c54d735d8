SELECT
  json_build_object(
    'ints',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t0"."title", 'score', "t0"."score")
            ORDER BY
              "t0"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t0".*,
            "t0"."score" AS "_o0"
          FROM
            "blog"."posts" "t0"
          WHERE
            (
              NOT ("t0"."id" = ANY ($1))
              AND "t0"."score" <> $2
              AND "t0"."score" >= $3
              AND "t0"."score" < $4
            )
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $5
        ) "t0"
    ),
    'decimals',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'title',
              "t1"."title",
              'rating',
              ("t1"."rating")::text
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
            "t1"."rating" AS "_o0"
          FROM
            "blog"."posts" "t1"
          WHERE
            "t1"."rating" = ANY ($6)
          ORDER BY
            "_o0" DESC NULLS FIRST
          LIMIT
            $7
        ) "t1"
    ),
    'bigints',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'name',
              "t2"."name",
              'karma',
              ("t2"."karma")::text
            )
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t2".*
          FROM
            "blog"."users" "t2"
          WHERE
            "t2"."karma" > $8
          LIMIT
            $9
        ) "t2"
    ),
    'timestamps',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object(
              'title',
              "t3"."title",
              'created_at',
              "t3"."created_at"
            )
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
            "t3"."created_at" >= $10
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $11
        ) "t3"
    ),
    'texts',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('name', "t4"."name")
            ORDER BY
              "t4"."_o0" DESC NULLS FIRST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t4".*,
            "t4"."name" AS "_o0"
          FROM
            "blog"."users" "t4"
          WHERE
            "t4"."name" = ANY ($12)
          ORDER BY
            "_o0" DESC NULLS FIRST
          LIMIT
            $13
        ) "t4"
    ),
    'enumEq',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('name', "t5"."name", 'role', "t5"."role")
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t5".*
          FROM
            "blog"."users" "t5"
          WHERE
            "t5"."role" = $14
          LIMIT
            $15
        ) "t5"
    ),
    'enumIn',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('name', "t6"."name", 'role', "t6"."role")
            ORDER BY
              "t6"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t6".*,
            "t6"."name" AS "_o0"
          FROM
            "blog"."users" "t6"
          WHERE
            "t6"."role" = ANY ($16)
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $17
        ) "t6"
    )
  )::text AS body;
-- $1 = ["00000000-0000-4000-8000-000000000012"]
-- $2 = 10
-- $3 = 5
-- $4 = 30
-- $5 = 1000
-- $6 = ["1.00","3.25","4.5"]
-- $7 = 1000
-- $8 = "5"
-- $9 = 1000
-- $10 = "2026-02-25T00:00:00Z"
-- $11 = 1000
-- $12 = ["ann","cy"]
-- $13 = 1000
-- $14 = "ADMIN"
-- $15 = 1000
-- $16 = ["MEMBER"]
-- $17 = 1000
