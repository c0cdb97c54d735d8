SELECT
  json_build_object(
    'toOne',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t0"."title")
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
            EXISTS (
              SELECT
                1
              FROM
                "blog"."users" "t1"
              WHERE
                "t1"."id" = "t0"."author_id"
                AND "t1"."name" = $1
            )
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $2
        ) "t0"
    ),
    'some',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t2"."title")
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
            EXISTS (
              SELECT
                1
              FROM
                "blog"."comments" "t3"
              WHERE
                "t3"."post_id" = "t2"."id"
                AND EXISTS (
                  SELECT
                    1
                  FROM
                    "blog"."users" "t4"
                  WHERE
                    "t4"."id" = "t3"."author_id"
                    AND "t4"."name" = $3
                )
            )
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $4
        ) "t2"
    ),
    'every',
    (
      SELECT
        coalesce(
          json_agg(
            json_build_object('title', "t5"."title")
            ORDER BY
              "t5"."_o0" ASC NULLS LAST
          ),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t5".*,
            "t5"."title" AS "_o0"
          FROM
            "blog"."posts" "t5"
          WHERE
            NOT EXISTS (
              SELECT
                1
              FROM
                "blog"."comments" "t6"
              WHERE
                "t6"."post_id" = "t5"."id"
                AND NOT coalesce(
                  EXISTS (
                    SELECT
                      1
                    FROM
                      "blog"."users" "t7"
                    WHERE
                      "t7"."id" = "t6"."author_id"
                      AND "t7"."name" = $5
                  ),
                  false
                )
            )
          ORDER BY
            "_o0" ASC NULLS LAST
          LIMIT
            $6
        ) "t5"
    ),
    'none',
    (
      SELECT
        coalesce(
          json_agg(json_build_object('name', "t8"."name")),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t8".*
          FROM
            "blog"."users" "t8"
          WHERE
            NOT EXISTS (
              SELECT
                1
              FROM
                "blog"."posts" "t9"
              WHERE
                "t9"."author_id" = "t8"."id"
                AND TRUE
            )
          LIMIT
            $7
        ) "t8"
    ),
    'twoLevels',
    (
      SELECT
        coalesce(
          json_agg(json_build_object('name', "t10"."name")),
          '[]'::json
        )
      FROM
        (
          SELECT
            "t10".*
          FROM
            "blog"."users" "t10"
          WHERE
            EXISTS (
              SELECT
                1
              FROM
                "blog"."posts" "t11"
              WHERE
                "t11"."author_id" = "t10"."id"
                AND EXISTS (
                  SELECT
                    1
                  FROM
                    "blog"."comments" "t12"
                  WHERE
                    "t12"."post_id" = "t11"."id"
                    AND "t12"."body" = $8
                )
            )
          LIMIT
            $9
        ) "t10"
    )
  )::text AS body;
-- $1 = "bob"
-- $2 = 1000
-- $3 = "cy"
-- $4 = 1000
-- $5 = "bob"
-- $6 = 1000
-- $7 = 1000
-- $8 = "merci"
-- $9 = 1000
