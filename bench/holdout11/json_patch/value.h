// json_patch/value.h -- JSON values as a std::variant (null, bool, integer, double, string,
// array, object with members sorted by key), structural equality, a compact and a pretty
// writer, and a recursive-descent reader over std::string_view with string escapes including
// \u surrogate pairs (strings are kept as UTF-8).

struct Value;
struct Member;
using Array = std::vector<Value>;
using Object = std::vector<Member>; // sorted by key, keys unique

struct Value {
    std::variant<std::nullptr_t, bool, int64_t, double, std::string, Array, Object> v;

    Value() : v(nullptr) {}
    template <class T>
    Value(T x) : v(std::move(x)) {}

    bool is_object() const { return std::holds_alternative<Object>(v); }
    bool is_array() const { return std::holds_alternative<Array>(v); }
    Object *object() { return std::get_if<Object>(&v); }
    Array *array() { return std::get_if<Array>(&v); }
    const Object *object() const { return std::get_if<Object>(&v); }
    const Array *array() const { return std::get_if<Array>(&v); }
};

struct Member {
    std::string key;
    Value value;
};

inline bool operator==(const Value &a, const Value &b);

inline bool operator==(const Member &a, const Member &b) { return a.key == b.key && a.value == b.value; }

inline bool operator==(const Value &a, const Value &b) { return a.v == b.v; }
inline bool operator!=(const Value &a, const Value &b) { return !(a == b); }

// object helpers on the sorted member vector
inline Object::iterator obj_find(Object &o, std::string_view key)
{
    auto it = std::lower_bound(o.begin(), o.end(), key,
                               [](const Member &m, std::string_view k) { return m.key < k; });
    return it != o.end() && it->key == key ? it : o.end();
}

inline const Member *obj_get(const Object &o, std::string_view key)
{
    auto it = std::lower_bound(o.begin(), o.end(), key,
                               [](const Member &m, std::string_view k) { return m.key < k; });
    return it != o.end() && it->key == key ? &*it : nullptr;
}

// inserts or replaces
inline void obj_set(Object &o, std::string key, Value val)
{
    auto it = std::lower_bound(o.begin(), o.end(), key,
                               [](const Member &m, const std::string &k) { return m.key < k; });
    if (it != o.end() && it->key == key)
        it->value = std::move(val);
    else
        o.insert(it, Member{ std::move(key), std::move(val) });
}

template <class... Fs>
struct Overloaded : Fs... {
    using Fs::operator()...;
};
template <class... Fs>
Overloaded(Fs...) -> Overloaded<Fs...>;

// ---- writing ----

static void write_string(std::string &out, const std::string &s)
{
    out += '"';
    for (unsigned char c : s) {
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\t': out += "\\t"; break;
        case '\r': out += "\\r"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                char tmp[8];
                snprintf(tmp, sizeof tmp, "\\u%04x", c);
                out += tmp;
            } else {
                out += (char)c;
            }
        }
    }
    out += '"';
}

static void write_value(std::string &out, const Value &val, int indent, int depth)
{
    auto newline = [&](int d) {
        if (indent < 0)
            return;
        out += '\n';
        out.append((size_t)(indent * d), ' ');
    };
    std::visit(Overloaded{
                   [&](std::nullptr_t) { out += "null"; },
                   [&](bool b) { out += b ? "true" : "false"; },
                   [&](int64_t i) { out += std::to_string(i); },
                   [&](double d) {
                       char tmp[40];
                       snprintf(tmp, sizeof tmp, "%.17g", d);
                       out += tmp;
                       if (!strpbrk(tmp, ".eEn")) /* keep it a double when read back */
                           out += ".0";
                   },
                   [&](const std::string &s) { write_string(out, s); },
                   [&](const Array &a) {
                       out += '[';
                       for (size_t i = 0; i < a.size(); i++) {
                           if (i)
                               out += ',';
                           newline(depth + 1);
                           write_value(out, a[i], indent, depth + 1);
                       }
                       if (!a.empty())
                           newline(depth);
                       out += ']';
                   },
                   [&](const Object &o) {
                       out += '{';
                       for (size_t i = 0; i < o.size(); i++) {
                           if (i)
                               out += ',';
                           newline(depth + 1);
                           write_string(out, o[i].key);
                           out += indent < 0 ? ":" : ": ";
                           write_value(out, o[i].value, indent, depth + 1);
                       }
                       if (!o.empty())
                           newline(depth);
                       out += '}';
                   },
               },
               val.v);
}

static std::string to_json(const Value &v, int indent = -1)
{
    std::string out;
    write_value(out, v, indent, 0);
    return out;
}

// ---- reading ----

class Reader {
public:
    explicit Reader(std::string_view s) : s_(s) {}

    bool parse(Value &out)
    {
        if (!value(out, 0))
            return false;
        ws();
        return pos_ == s_.size();
    }

private:
    static constexpr int max_depth = 20; /* deeper input is refused (small stacks) */

    void ws()
    {
        while (pos_ < s_.size() && (s_[pos_] == ' ' || s_[pos_] == '\n' || s_[pos_] == '\t' || s_[pos_] == '\r'))
            pos_++;
    }

    bool lit(std::string_view w)
    {
        if (s_.substr(pos_, w.size()) != w)
            return false;
        pos_ += w.size();
        return true;
    }

    bool hex4(uint32_t &u)
    {
        if (pos_ + 4 > s_.size())
            return false;
        u = 0;
        for (int i = 0; i < 4; i++) {
            char c = s_[pos_++];
            u <<= 4;
            if (c >= '0' && c <= '9')
                u |= (uint32_t)(c - '0');
            else if (c >= 'a' && c <= 'f')
                u |= (uint32_t)(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F')
                u |= (uint32_t)(c - 'A' + 10);
            else
                return false;
        }
        return true;
    }

    static void put_utf8(std::string &o, uint32_t cp)
    {
        if (cp < 0x80) {
            o += (char)cp;
        } else if (cp < 0x800) {
            o += (char)(0xC0 | cp >> 6);
            o += (char)(0x80 | (cp & 0x3F));
        } else if (cp < 0x10000) {
            o += (char)(0xE0 | cp >> 12);
            o += (char)(0x80 | (cp >> 6 & 0x3F));
            o += (char)(0x80 | (cp & 0x3F));
        } else {
            o += (char)(0xF0 | cp >> 18);
            o += (char)(0x80 | (cp >> 12 & 0x3F));
            o += (char)(0x80 | (cp >> 6 & 0x3F));
            o += (char)(0x80 | (cp & 0x3F));
        }
    }

    bool string(std::string &out)
    {
        if (pos_ >= s_.size() || s_[pos_] != '"')
            return false;
        pos_++;
        while (pos_ < s_.size()) {
            unsigned char c = (unsigned char)s_[pos_++];
            if (c == '"')
                return true;
            if (c < 0x20)
                return false;
            if (c != '\\') {
                out += (char)c;
                continue;
            }
            if (pos_ >= s_.size())
                return false;
            char e = s_[pos_++];
            switch (e) {
            case '"': out += '"'; break;
            case '\\': out += '\\'; break;
            case '/': out += '/'; break;
            case 'b': out += '\b'; break;
            case 'f': out += '\f'; break;
            case 'n': out += '\n'; break;
            case 'r': out += '\r'; break;
            case 't': out += '\t'; break;
            case 'u': {
                uint32_t u;
                if (!hex4(u))
                    return false;
                if (u >= 0xD800 && u < 0xDC00) { /* high surrogate: a low one must follow */
                    uint32_t lo;
                    if (!lit("\\u") || !hex4(lo) || lo < 0xDC00 || lo >= 0xE000)
                        return false;
                    u = 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00);
                } else if (u >= 0xDC00 && u < 0xE000) {
                    return false;
                }
                put_utf8(out, u);
                break;
            }
            default:
                return false;
            }
        }
        return false;
    }

    bool number(Value &out)
    {
        size_t start = pos_;
        if (pos_ < s_.size() && s_[pos_] == '-')
            pos_++;
        if (pos_ >= s_.size() || !isdigit((unsigned char)s_[pos_]))
            return false;
        if (s_[pos_] == '0' && pos_ + 1 < s_.size() && isdigit((unsigned char)s_[pos_ + 1]))
            return false; /* no leading zeros */
        while (pos_ < s_.size() && isdigit((unsigned char)s_[pos_]))
            pos_++;
        bool frac = false;
        if (pos_ < s_.size() && s_[pos_] == '.') {
            frac = true;
            pos_++;
            if (pos_ >= s_.size() || !isdigit((unsigned char)s_[pos_]))
                return false;
            while (pos_ < s_.size() && isdigit((unsigned char)s_[pos_]))
                pos_++;
        }
        if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
            frac = true;
            pos_++;
            if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-'))
                pos_++;
            if (pos_ >= s_.size() || !isdigit((unsigned char)s_[pos_]))
                return false;
            while (pos_ < s_.size() && isdigit((unsigned char)s_[pos_]))
                pos_++;
        }
        std::string text(s_.substr(start, pos_ - start));
        if (frac)
            out = Value(strtod(text.c_str(), nullptr));
        else
            out = Value((int64_t)strtoll(text.c_str(), nullptr, 10));
        return true;
    }

    bool value(Value &out, int depth)
    {
        if (depth > max_depth)
            return false;
        ws();
        if (pos_ >= s_.size())
            return false;
        char c = s_[pos_];
        if (c == '{') {
            pos_++;
            Object o;
            ws();
            if (pos_ < s_.size() && s_[pos_] == '}') {
                pos_++;
                out = Value(std::move(o));
                return true;
            }
            for (;;) {
                ws();
                std::string key;
                if (!string(key))
                    return false;
                ws();
                if (!lit(":"))
                    return false;
                Value v;
                if (!value(v, depth + 1))
                    return false;
                if (obj_get(o, key))
                    return false; /* duplicate keys are refused */
                obj_set(o, std::move(key), std::move(v));
                ws();
                if (lit("}"))
                    break;
                if (!lit(","))
                    return false;
            }
            out = Value(std::move(o));
            return true;
        }
        if (c == '[') {
            pos_++;
            Array a;
            ws();
            if (lit("]")) {
                out = Value(std::move(a));
                return true;
            }
            for (;;) {
                Value v;
                if (!value(v, depth + 1))
                    return false;
                a.push_back(std::move(v));
                ws();
                if (lit("]"))
                    break;
                if (!lit(","))
                    return false;
            }
            out = Value(std::move(a));
            return true;
        }
        if (c == '"') {
            std::string s;
            if (!string(s))
                return false;
            out = Value(std::move(s));
            return true;
        }
        if (lit("null")) {
            out = Value(nullptr);
            return true;
        }
        if (lit("true")) {
            out = Value(true);
            return true;
        }
        if (lit("false")) {
            out = Value(false);
            return true;
        }
        return number(out);
    }

    std::string_view s_;
    size_t pos_ = 0;
};

static bool from_json(std::string_view s, Value &out) { return Reader(s).parse(out); }
