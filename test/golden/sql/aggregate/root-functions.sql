SELECT
  json_build_object(
    'postsAggregate',
    (
      SELECT
        json_build_object(
          'count',
          count(*),
          'sum',
          json_build_object(
            'score',
            sum("t0"."score")::text,
            'rating',
            sum("t0"."rating")::text
          ),
          'avg',
          json_build_object(
            'score',
            avg("t0"."score")::float8,
            'rating',
            avg("t0"."rating")::text
          ),
          'min',
          json_build_object(
            'score',
            min("t0"."score"),
            'rating',
            min("t0"."rating")::text,
            'title',
            min("t0"."title"),
            'created_at',
            min("t0"."created_at")
          ),
          'max',
          json_build_object(
            'score',
            max("t0"."score"),
            'rating',
            max("t0"."rating")::text,
            'title',
            max("t0"."title"),
            'created_at',
            max("t0"."created_at")
          )
        )
      FROM
        "blog"."posts" "t0"
      GROUP BY
        ()
    ),
    'withAuthor',
    (
      SELECT
        json_build_object('count', count(*))
      FROM
        "blog"."posts" "t1"
      WHERE
        "t1"."author_id" IS NOT NULL
      GROUP BY
        ()
    ),
    'usersAggregate',
    (
      SELECT
        json_build_object(
          'sum',
          json_build_object('karma', sum("t2"."karma")::text),
          'avg',
          json_build_object('karma', avg("t2"."karma")::float8),
          'max',
          json_build_object(
            'karma',
            max("t2"."karma")::text,
            'role',
            max("t2"."role")
          )
        )
      FROM
        "blog"."users" "t2"
      GROUP BY
        ()
    )
  )::text AS body;
-- no parameters
