// PL/pgSQL and SQL function bodies.
#include "check/function_bodies.hpp"

#include <algorithm>
#include <cctype>
#include <string>

#include "catalog/diagnostics.hpp"
#include "check/pg_query.hpp"
#include "check/plpgsql_workarounds.hpp"

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

// The statement words a message names in capitals: "RETURN NEXT" in "cannot use RETURN NEXT in
// a non-SETOF function".
std::string_view capital_words(std::string_view message) noexcept {
  std::size_t begin = std::string_view::npos;
  std::size_t end = 0;
  for (std::size_t i = 0; i <= message.size(); ++i) {
    const bool capital = i < message.size() && std::isupper(static_cast<unsigned char>(message[i]));
    const bool space = i < message.size() && message[i] == ' ';
    if (capital && begin == std::string_view::npos)
      begin = i;
    if (capital)
      end = i + 1;
    if (!capital && !space && begin != std::string_view::npos) {
      if (end - begin >= 2)
        return message.substr(begin, end - begin);
      begin = std::string_view::npos;
    }
  }
  return {};
}

// Offset of `token` in `text` at or after `from`, case-insensitive, preferring a whole word.
std::size_t find_token(std::string_view text, std::string_view token, std::size_t from) {
  if (token.empty() || from >= text.size())
    return std::string_view::npos;
  const std::string haystack = lowercase(text);
  const std::string needle = lowercase(token);
  for (std::size_t at = haystack.find(needle, from); at != std::string::npos;
       at = haystack.find(needle, at + 1)) {
    const bool word = is_word_char(needle.front());
    const bool starts = at == 0 || !word || !is_word_char(haystack[at - 1]);
    const std::size_t after = at + needle.size();
    const bool ends =
        after >= haystack.size() || !is_word_char(needle.back()) || !is_word_char(haystack[after]);
    if (starts && ends)
      return at;
  }
  return haystack.find(needle, from);
}

// Where in the body a compiler error is. The compiler gives no position, only "near line N", the
// line of the last statement it started (at or before the error), so: the first place at or
// after that line where the word the message quotes (or the statement it names) appears; else
// that line's first token.
std::size_t error_offset(std::string_view body, const ParseError& error) {
  if (error.message.find("at end of input") != std::string::npos) {
    std::size_t at = body.size();
    while (at > 0 && std::isspace(static_cast<unsigned char>(body[at - 1])) != 0)
      --at;
    return at;
  }
  std::size_t line_start = 0;
  for (std::size_t line = 1; line < error.line; ++line) {
    const std::size_t next = body.find('\n', line_start);
    if (next == std::string_view::npos)
      break;
    line_start = next + 1;
  }
  std::string_view token = quoted_token(error.message);
  if (token.empty())
    token = capital_words(error.message);
  if (const std::size_t found = find_token(body, token, line_start);
      found != std::string_view::npos)
    return found;
  while (line_start < body.size() && std::isspace(static_cast<unsigned char>(body[line_start])))
    ++line_start;
  return std::min(line_start, body.size());
}

plpgsql::TypeClass type_class(const json::Value& type) {
  const json::Value& names = type["names"];
  const std::string name = lowercase(names[names.size() - 1]["String"]["sval"].string());
  return plpgsql::classify_type({name}, type["pct_type"].boolean());
}

// What the CREATE statement says about the routine's parameters and result.
plpgsql::Signature signature_of(std::string_view type, const json::Value& node) {
  plpgsql::Signature signature;
  if (type == "DoStmt")
    return signature;
  signature.kind = node["is_procedure"].boolean() ? plpgsql::Signature::Kind::procedure
                                                  : plpgsql::Signature::Kind::function;
  for (const json::Value& item : node["parameters"].items()) {
    const json::Value& parameter = item["FunctionParameter"];
    const std::string_view mode = parameter["mode"].string();
    std::string spelled;
    if (mode == "FUNC_PARAM_OUT")
      spelled = "OUT";
    else if (mode == "FUNC_PARAM_INOUT")
      spelled = "INOUT";
    else if (mode == "FUNC_PARAM_VARIADIC")
      spelled = "VARIADIC";
    else if (mode == "FUNC_PARAM_TABLE")
      spelled = "TABLE";
    signature.parameters.push_back(plpgsql::Parameter{std::string{parameter["name"].string()},
                                                      spelled, type_class(parameter["argType"])});
  }
  const json::Value& returns = node["returnType"];
  signature.returns_set = returns["setof"].boolean();
  const json::Value& names = returns["names"];
  signature.returns_trigger =
      names.size() > 0 && names[names.size() - 1]["String"]["sval"].string() == "trigger";
  return signature;
}

}  // namespace

void check_function_bodies(const SectionSource& section, const ParsedStatement& statement,
                           Diagnostics& diagnostics) {
  const std::string_view type = statement.node_type();
  const json::Value& node = statement.node();
  Body body;
  if (type == "CreateFunctionStmt") {
    body = find_body(node["options"]);
    if (node.contains("sql_body")) {  // BEGIN ATOMIC / RETURN: parsed with the statement
      if (body.language != "sql" && !body.language.empty()) {
        diagnostics.add(*section.file, section.offset + statement.offset, "strata-E204",
                        "inline SQL function body only valid for language SQL",
                        "a BEGIN ATOMIC … END or RETURN … body is SQL: write LANGUAGE sql, or "
                        "give the " +
                            body.language + " body as a string (AS $$ … $$)");
      }
      return;
    }
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
    const auto error =
        parse_plpgsql(plpgsql::statement_for_compiler(body.text, signature_of(type, node)));
    if (!error)
      return;
    if (const std::size_t braces = raw_body.find("{{"); braces != std::string_view::npos) {
      diagnostics.add(*section.file, body_offset + braces, "strata-E203",
                      "template syntax is not SQL",
                      "this looks like a template placeholder ({{ … }}); strata compiles SQL as "
                      "written, so expand the template first or write the value");
      return;
    }
    diagnostics.add(*section.file, body_offset + error_offset(raw_body, *error), "strata-E204",
                    "PL/pgSQL: " + error->message,
                    "the body of a LANGUAGE plpgsql function or DO block is compiled at build "
                    "time; fix the statement in the body. " +
                        std::string{unchecked_hint});
  } else if (body.language == "sql") {
    const ParseOutcome outcome = parse_sql(body.text);
    if (!outcome.error)
      return;
    const std::size_t at = outcome.error->cursor > 0 && body_in_statement != std::string_view::npos
                               ? byte_offset_of_character(raw_body, outcome.error->cursor - 1)
                               : 0;
    diagnostics.add(*section.file, body_offset + at, "strata-E205",
                    "SQL function body: " + outcome.error->message,
                    "the body of a LANGUAGE sql function is parsed at build time. " +
                        std::string{unchecked_hint});
  }
}

}  // namespace strata::generator
