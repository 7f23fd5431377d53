DROP TABLE "user";
