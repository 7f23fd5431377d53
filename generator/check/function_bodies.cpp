// PL/pgSQL and SQL function bodies.
#include "check/function_bodies.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "catalog/diagnostics.hpp"
#include "check/pg_query.hpp"

namespace strata::generator {
namespace {

struct Body {
  std::string language;    // lowercase; empty when not given
  std::string_view text;   // the body string as the parser saw it (quotes resolved)
  bool is_string = false;  // AS '…' with exactly one string (not a C function's two)
};

std::string lowercase(std::string_view text) {
  std::string result{text};
  std::transform(result.begin(), result.end(), result.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return result;
}

// The body and language of a CreateFunctionStmt (options) or DoStmt (args).
Body find_body(const json::Value& options) {
  Body body;
  for (const json::Value& option : options.items()) {
    const json::Value& element = option["DefElem"];
    const std::string_view name = element["defname"].string();
    const json::Value& arg = element["arg"];
    if (name == "language") {
      body.language = lowercase(arg["String"]["sval"].string());
    } else if (name == "as") {
      if (arg.contains("String")) {  // DO
        body.text = arg["String"]["sval"].string();
        body.is_string = true;
      } else if (arg["List"]["items"].size() == 1) {
        body.text = arg["List"]["items"][0]["String"]["sval"].string();
        body.is_string = true;
      }
    }
  }
  return body;
}

bool is_word_char(char c) noexcept {
  return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '_';
}

// The token a PL/pgSQL error names: `syntax error at or near "X"`, `"x" is not a known variable`.
std::string_view quoted_token(std::string_view message) noexcept {
  const std::size_t open = message.find('"');
  if (open == std::string_view::npos)
    return {};
  const std::size_t close = message.find('"', open + 1);
  if (close == std::string_view::npos)
    return {};
  return message.substr(open + 1, close - open - 1);
}

// Offset of `token` in `text`, preferring a whole-word match.
std::size_t find_token(std::string_view text, std::string_view token) noexcept {
  if (token.empty())
    return std::string_view::npos;
  for (std::size_t at = text.find(token); at != std::string_view::npos;
       at = text.find(token, at + 1)) {
    const bool word = is_word_char(token.front());
    const bool starts = at == 0 || !word || !is_word_char(text[at - 1]);
    const std::size_t after = at + token.size();
    const bool ends =
        after >= text.size() || !is_word_char(token.back()) || !is_word_char(text[after]);
    if (starts && ends)
      return at;
  }
  return text.find(token);
}

}  // namespace

void check_function_bodies(const SectionSource& section, const ParsedStatement& statement,
                           Diagnostics& diagnostics) {
  const std::string_view type = statement.node_type();
  const json::Value& node = statement.node();
  Body body;
  if (type == "CreateFunctionStmt") {
    if (node.contains("sql_body"))
      return;  // BEGIN ATOMIC / RETURN: parsed with the statement
    body = find_body(node["options"]);
  } else if (type == "DoStmt") {
    body = find_body(node["args"]);
    if (body.language.empty())
      body.language = "plpgsql";
  } else {
    return;
  }
  if (!body.is_string)
    return;
  const std::string_view statement_text = section.text().substr(statement.offset, statement.length);
  // Where the body's text sits in the file: found verbatim for $$-quoted bodies; for '…' bodies
  // with doubled quotes, fall back to the statement's start.
  const std::size_t body_in_statement = statement_text.find(body.text);
  const std::size_t body_offset =
      section.offset + statement.offset +
      (body_in_statement == std::string_view::npos ? 0 : body_in_statement);
  const std::string_view raw_body =
      body_in_statement == std::string_view::npos
          ? statement_text
          : statement_text.substr(body_in_statement, body.text.size());

  if (body.language == "plpgsql") {
    const auto error = parse_plpgsql(statement_text);
    if (!error)
      return;
    std::size_t at = 0;
    if (error->message.find("at end of input") != std::string::npos) {
      at = raw_body.size();
      while (at > 0 && std::isspace(static_cast<unsigned char>(raw_body[at - 1])) != 0)
        --at;
    } else if (const std::size_t found = find_token(raw_body, quoted_token(error->message));
               found != std::string_view::npos) {
      at = found;
    }
    if (const std::size_t braces = raw_body.find("{{"); braces != std::string_view::npos) {
      diagnostics.add(*section.file, body_offset + braces, "strata-E203",
                      "template syntax is not SQL",
                      "this looks like a template placeholder ({{ … }}); strata compiles SQL as "
                      "written, so expand the template first or write the value");
      return;
    }
    diagnostics.add(*section.file, body_offset + at, "strata-E204", "PL/pgSQL: " + error->message,
                    "the body of a LANGUAGE plpgsql function or DO block is compiled at build "
                    "time; fix the statement in the body");
  } else if (body.language == "sql") {
    const ParseOutcome outcome = parse_sql(body.text);
    if (!outcome.error)
      return;
    const std::size_t at = outcome.error->cursor > 0 && body_in_statement != std::string_view::npos
                               ? byte_offset_of_character(raw_body, outcome.error->cursor - 1)
                               : 0;
    diagnostics.add(*section.file, body_offset + at, "strata-E205",
                    "SQL function body: " + outcome.error->message,
                    "the body of a LANGUAGE sql function is parsed at build time");
  }
}

}  // namespace strata::generator
