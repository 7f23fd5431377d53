-- migrate:up
CREATE TABLE b (id bigint);
CREATE TABLE b_log (id bigint);

-- migrate:down
DROP TABLE b;
