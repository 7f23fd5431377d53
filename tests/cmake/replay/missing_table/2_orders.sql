-- migrate:up
CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint);
INSERT INTO orders SELECT id, id FROM user_list;

-- migrate:down
DROP TABLE orders;
