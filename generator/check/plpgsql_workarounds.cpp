// Rewrites of a PL/pgSQL body for libpg_query's catalog-less compiler (see the header).
#include "check/plpgsql_workarounds.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "check/plpgsql_tokens.hpp"

namespace strata::generator::plpgsql {
namespace {

// Types (first word, as written or as the parser normalises them) that certainly have no fields.
const std::set<std::string, std::less<>> scalar_types = {
    "bigint",  "bigserial", "bit",          "bool",     "boolean",      "box",         "bpchar",
    "bytea",   "char",      "character",    "cidr",     "circle",       "date",        "daterange",
    "decimal", "double",    "float",        "float4",   "float8",       "inet",        "int",
    "int2",    "int4",      "int4range",    "int8",     "int8range",    "integer",     "interval",
    "json",    "jsonb",     "line",         "lseg",     "macaddr",      "money",       "name",
    "numeric", "numrange",  "oid",          "path",     "pg_lsn",       "point",       "polygon",
    "real",    "regclass",  "regnamespace", "regproc",  "regprocedure", "regrole",     "regtype",
    "serial",  "smallint",  "text",         "time",     "timestamp",    "timestamptz", "timetz",
    "tsquery", "tsrange",   "tstzrange",    "tsvector", "uuid",         "varbit",      "varchar",
    "xml"};

struct Edit {
  std::size_t begin = 0;
  std::size_t end = 0;
  std::string text;
};

class Rewriter {
 public:
  Rewriter(std::string_view body, const Signature& signature)
      : m_body{body}, m_signature{signature}, m_tokens{tokenize(body)} {
    for (const Parameter& parameter : signature.parameters) {
      if (!parameter.name.empty())
        m_names[parameter.name].insert(parameter.type);
    }
  }

  std::string run() {
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
      if (token(i).is("declare"))
        declarations(i + 1);
      else if (token(i).is_punctuation("<<") && token(i + 1).is_name() &&
               token(i + 2).is_punctuation(">>"))
        m_labels.insert(token(i + 1).text);
    }
    // A cursor FOR loop declares its record variable itself.
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
      if (starts_statement(i) && token(i).is("for") && token(i + 1).is_name() &&
          token(i + 2).is("in") && may_be(token(i + 3), TypeClass::cursor))
        m_names[token(i + 1).text].insert(TypeClass::composite);
    }
    for (std::size_t i = 0; i < m_tokens.size(); ++i) {
      if (starts_statement(i))
        statement(i);
      if (token(i).is("into") &&
          !(i > 0 && (token(i - 1).is("insert") || token(i - 1).is("merge"))))
        into_targets(i + 1);
    }
    return apply();
  }

 private:
  [[nodiscard]] const Token& token(std::size_t i) const noexcept {
    static const Token none{};
    return i < m_tokens.size() ? m_tokens[i] : none;
  }

  [[nodiscard]] bool starts_statement(std::size_t i) const noexcept {
    if (i == 0)
      return true;
    const Token& previous = token(i - 1);
    return previous.is_punctuation(";") || previous.is_punctuation(">>") || previous.is("begin") ||
           previous.is("loop") || previous.is("then") || previous.is("else");
  }

  // Index of the `;` ending the statement that holds token `i` (outside parentheses).
  [[nodiscard]] std::size_t statement_end(std::size_t i) const noexcept {
    int depth = 0;
    for (; i < m_tokens.size(); ++i) {
      const Token& t = token(i);
      if (t.is_punctuation("(") || t.is_punctuation("["))
        ++depth;
      else if (t.is_punctuation(")") || t.is_punctuation("]"))
        depth = std::max(depth - 1, 0);
      else if (t.is_punctuation(";") && depth == 0)
        return i;
    }
    return m_tokens.size();
  }

  // The classes a name may have: declared ones, a parameter's, or none when undeclared.
  [[nodiscard]] bool may_be(const Token& name, TypeClass type) const {
    if (name.kind == Token::Kind::parameter) {
      std::size_t n = 0;  // $n: digits only; a number past the parameters is none of them
      for (const char digit : std::string_view{name.text}.substr(1)) {
        n = n * 10 + static_cast<std::size_t>(digit - '0');
        if (n > m_signature.parameters.size())
          return false;
      }
      if (n == 0)
        return false;
      const TypeClass declared = m_signature.parameters[n - 1].type;
      return declared == type || declared == TypeClass::unknown;
    }
    if (!name.is_name())
      return false;
    const auto found = m_names.find(name.text);
    return found != m_names.end() &&
           (found->second.contains(type) || found->second.contains(TypeClass::unknown));
  }

  // DECLARE section from token `i` up to its BEGIN.
  void declarations(std::size_t i) {
    while (i < m_tokens.size() && !token(i).is("begin")) {
      const std::size_t end = statement_end(i);
      if (token(i).is_name())
        m_names[token(i).text].insert(declared_type(i + 1, end));
      i = end + 1;
    }
  }

  [[nodiscard]] TypeClass declared_type(std::size_t i, std::size_t end) const {
    if (token(i).is("constant"))
      ++i;
    if (token(i).is("alias")) {  // ALIAS FOR $n / name: whatever that is
      const Token& target = token(i + 2);
      if (target.kind == Token::Kind::parameter && may_be(target, TypeClass::scalar) &&
          !may_be(target, TypeClass::composite))
        return TypeClass::scalar;
      return TypeClass::unknown;
    }
    for (std::size_t k = i; k < end && !token(k).is("for") && !token(k).is("is"); ++k) {
      if (token(k).is("cursor"))
        return TypeClass::cursor;
    }
    std::vector<std::string> words;
    for (; i < end; ++i) {
      const Token& t = token(i);
      if (t.is_punctuation(".")) {
        words.clear();  // schema-qualified: the type's own name follows
      } else if (t.is_punctuation("%")) {
        return token(i + 1).is("type") ? TypeClass::unknown : TypeClass::composite;
      } else if (t.is_name() && !t.is("not") && !t.is("default") && !t.is("collate")) {
        words.push_back(t.text);
      } else {
        break;
      }
    }
    return classify_type(words, false);
  }

  void statement(std::size_t i) {
    const Token& first = token(i);
    if (first.is("return") && token(i + 1).is("next") && token(i + 2).is_punctuation(";")) {
      // RETURN NEXT without an expression returns the OUT parameters' current values; the
      // compiler does not know the signature has them.
      if (m_signature.returns_set && m_signature.has_out_parameters())
        replace(token(i + 1).begin, token(i + 1).end, "");
    } else if (first.is("open") || first.is("close") || first.is("fetch") || first.is("move")) {
      cursor_statement(i);
    } else if (first.is("for") && token(i + 1).is_name() && token(i + 2).is("in")) {
      cursor_loop(i + 3);
    } else if (first.is_name()) {
      (void)field_target(i, false);
    }
  }

  // Workaround for libpg_query's PL/pgSQL compiler rejecting every use of a cursor variable
  // ("variable must be of type cursor or refcursor", or a syntax error in FOR … IN cursor):
  // pganalyze/libpg_query issue 257, still present in Debian's libpg-query 15-4.0.0. The
  // compiler gives every variable an unknown type, never refcursor. A statement on a name the
  // routine declares as a cursor or refcursor is replaced by one of the same effect on the
  // grammar: OPEN … FOR query keeps its query (checked as a statement of its own), the others
  // become NULL. Remove once the library is fixed.
  void cursor_statement(std::size_t i) {
    const std::size_t end = statement_end(i);
    if (end >= m_tokens.size())
      return;
    const bool open = token(i).is("open");
    std::size_t cursor = i + 1;
    if (!open && !token(i).is("close")) {  // FETCH/MOVE [direction FROM] cursor [INTO …]
      cursor = end - 1;
      for (std::size_t k = i + 1; k < end; ++k) {
        if (token(k).is("into")) {
          cursor = k - 1;
          break;
        }
      }
    }
    if (!may_be(token(cursor), TypeClass::cursor))
      return;
    if (open) {
      std::size_t k = i + 2;
      while (token(k).is("no") || token(k).is("scroll"))
        ++k;
      if (token(k).is("for")) {
        replace(token(i).begin, token(k).end, "");
        return;
      }
    } else if (cursor + 1 < end && token(cursor + 1).is("into")) {
      // FETCH … INTO targets: SELECT … INTO keeps the targets checked.
      replace(token(i).begin, token(cursor).end, "SELECT NULL");
      return;
    }
    replace(token(i).begin, token(end - 1).end, "NULL");
  }

  // FOR r IN cursor [(arguments)] LOOP, the same upstream bug: an integer loop in its place
  // keeps the loop's grammar (and declares r, as the cursor loop does).
  void cursor_loop(std::size_t cursor) {
    if (!may_be(token(cursor), TypeClass::cursor))
      return;
    std::size_t last = cursor;
    if (token(cursor + 1).is_punctuation("(")) {
      int depth = 0;
      for (last = cursor + 1; last < m_tokens.size(); ++last) {
        if (token(last).is_punctuation("("))
          ++depth;
        else if (token(last).is_punctuation(")") && --depth == 0)
          break;
      }
    }
    if (token(last + 1).is("loop"))
      replace(token(cursor).begin, token(last).end, "1..1");
  }

  // A target `[label.]name[.field…][[…]]…` at token `i`: when `name` is a row or record variable,
  // its fields are dropped from the target (the compiler cannot know them; the server resolves
  // them from the catalog). An assignment's target is followed by `:=` or `=`; an INTO target
  // (`into`) by anything. Returns the index after the target.
  std::size_t field_target(std::size_t i, bool into) {
    std::size_t base = i;
    if (m_labels.contains(token(i).text) && token(i + 1).is_punctuation(".") &&
        token(i + 2).is_name())
      base = i + 2;
    std::size_t j = base + 1;
    std::size_t first_field = 0;
    while (j < m_tokens.size()) {
      if (token(j).is_punctuation("[")) {
        int depth = 0;
        for (; j < m_tokens.size(); ++j) {
          if (token(j).is_punctuation("["))
            ++depth;
          else if (token(j).is_punctuation("]") && --depth == 0)
            break;
        }
        ++j;
      } else if (token(j).is_punctuation(".") && token(j + 1).is_name()) {
        if (first_field == 0)
          first_field = j;
        j += 2;
      } else {
        break;
      }
    }
    const bool assigned = into || token(j).is_punctuation(":=") || token(j).is_punctuation("=");
    if (first_field != 0 && assigned && may_be(token(base), TypeClass::composite))
      replace(token(first_field).begin, token(j - 1).end, "");
    return j;
  }

  // INTO [STRICT] target[, target…]
  void into_targets(std::size_t i) {
    if (token(i).is("strict"))
      ++i;
    while (token(i).is_name()) {
      const std::size_t after = field_target(i, true);
      if (!token(after).is_punctuation(","))
        break;
      i = after + 1;
    }
  }

  void replace(std::size_t begin, std::size_t end, std::string_view text) {
    m_edits.push_back(Edit{begin, end, std::string{text}});
  }

  // The body with every edit applied; the line breaks inside an edited range are kept.
  [[nodiscard]] std::string apply() {
    std::sort(m_edits.begin(), m_edits.end(),
              [](const Edit& a, const Edit& b) { return a.begin < b.begin; });
    std::string result;
    std::size_t at = 0;
    for (const Edit& edit : m_edits) {
      if (edit.begin < at)
        continue;  // overlapping: the first one wins
      result.append(m_body.substr(at, edit.begin - at));
      const std::string_view old = m_body.substr(edit.begin, edit.end - edit.begin);
      std::string replacement = edit.text;
      for (const char c : old) {
        if (c == '\n')
          replacement += '\n';
      }
      replacement.resize(std::max(replacement.size(), old.size()), ' ');
      result += replacement;
      at = edit.end;
    }
    result.append(m_body.substr(at));
    return result;
  }

  std::string_view m_body;
  const Signature& m_signature;
  std::vector<Token> m_tokens;
  std::map<std::string, std::set<TypeClass>, std::less<>> m_names;
  std::set<std::string, std::less<>> m_labels;
  std::vector<Edit> m_edits;
};

}  // namespace

TypeClass classify_type(const std::vector<std::string>& words, bool copies_type) {
  if (copies_type)
    return TypeClass::unknown;
  if (words.empty())
    return TypeClass::unknown;
  const std::string& first = words.front();
  if (first == "refcursor")
    return TypeClass::cursor;
  return scalar_types.contains(first) ? TypeClass::scalar : TypeClass::composite;
}

bool Signature::has_out_parameters() const noexcept {
  return std::any_of(parameters.begin(), parameters.end(), [](const Parameter& p) {
    return p.mode == "OUT" || p.mode == "INOUT" || p.mode == "TABLE";
  });
}

std::string prepare_body(std::string_view body, const Signature& signature) {
  return Rewriter{body, signature}.run();
}

std::string statement_for_compiler(std::string_view body, const Signature& signature) {
  const std::string prepared = prepare_body(body, signature);
  std::string tag = "$strata$";
  for (int n = 1; prepared.find(tag) != std::string::npos; ++n)
    tag = "$strata" + std::to_string(n) + '$';
  const std::string quoted = tag + prepared + tag;
  if (signature.kind == Signature::Kind::do_block)
    return "DO " + quoted;
  // Only names, modes and a few type facts matter to the compiler; the types are placeholders.
  const auto declare = [](const Parameter& parameter, std::size_t n) {
    std::string name = parameter.name.empty() ? "strata_arg_" + std::to_string(n) : parameter.name;
    std::string quoted_name = "\"";
    for (const char c : name)
      quoted_name += c == '"' ? std::string{"\"\""} : std::string{c};
    quoted_name += '"';
    const char* type = parameter.type == TypeClass::cursor ? "refcursor" : "int";
    return quoted_name + ' ' + type + (parameter.mode == "VARIADIC" ? "[]" : "");
  };
  std::string arguments;
  std::string columns;
  for (std::size_t i = 0; i < signature.parameters.size(); ++i) {
    const Parameter& parameter = signature.parameters[i];
    std::string& list = parameter.mode == "TABLE" ? columns : arguments;
    if (!list.empty())
      list += ", ";
    if (parameter.mode != "TABLE" && !parameter.mode.empty())
      list += parameter.mode + ' ';
    list += declare(parameter, i + 1);
  }
  if (signature.kind == Signature::Kind::procedure)
    return "CREATE PROCEDURE strata_check(" + arguments + ") LANGUAGE plpgsql AS " + quoted;
  std::string returns = signature.returns_trigger ? "trigger" : "int";
  if (!columns.empty())
    returns = "TABLE (" + columns + ')';
  else if (signature.returns_set)
    returns = "SETOF " + returns;
  return "CREATE FUNCTION strata_check(" + arguments + ") RETURNS " + returns +
         " LANGUAGE plpgsql AS " + quoted;
}

}  // namespace strata::generator::plpgsql
