// json_patch/diff.h -- patches computed from two documents: objects by key, arrays by a
// longest-common-subsequence edit script (adjacent delete/insert pairs diffed recursively),
// anything else replaced; and JSON Merge Patch (RFC 7386): computing and applying.

static void diff_values(const Value &a, const Value &b, Tokens &path, Patch &out);

static void diff_arrays(const Array &a, const Array &b, Tokens &path, Patch &out)
{
    size_t n = a.size(), m = b.size();
    // L[i][j] = LCS length of a[i..] and b[j..]
    std::vector<std::vector<uint16_t>> L(n + 1, std::vector<uint16_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;)
        for (size_t j = m; j-- > 0;)
            L[i][j] = a[i] == b[j] ? (uint16_t)(L[i + 1][j + 1] + 1) : std::max(L[i + 1][j], L[i][j + 1]);
    size_t i = 0, j = 0, k = 0; // k: index in the array being edited
    while (i < n || j < m) {
        if (i < n && j < m && a[i] == b[j]) {
            i++, j++, k++;
        } else if (i < n && j < m && L[i + 1][j] == L[i][j] && L[i][j + 1] == L[i][j]) {
            // both a deletion and an insertion keep the LCS: change the element in place
            path.push_back(std::to_string(k));
            diff_values(a[i], b[j], path, out);
            path.pop_back();
            i++, j++, k++;
        } else if (i < n && (j == m || L[i + 1][j] >= L[i][j + 1])) {
            path.push_back(std::to_string(k));
            out.push_back(std::make_unique<RemoveOp>(path));
            path.pop_back();
            i++;
        } else {
            // appending past the last element may also be written as "-"
            path.push_back(i == n && (j & 1) ? std::string("-") : std::to_string(k));
            out.push_back(std::make_unique<AddOp>(path, b[j]));
            path.pop_back();
            j++, k++;
        }
    }
}

static void diff_values(const Value &a, const Value &b, Tokens &path, Patch &out)
{
    if (a == b)
        return;
    const Object *oa = a.object(), *ob = b.object();
    if (oa && ob) {
        for (const Member &m : *oa)
            if (!obj_get(*ob, m.key)) {
                path.push_back(m.key);
                out.push_back(std::make_unique<RemoveOp>(path));
                path.pop_back();
            }
        for (const Member &m : *ob) {
            path.push_back(m.key);
            if (const Member *old = obj_get(*oa, m.key))
                diff_values(old->value, m.value, path, out);
            else
                out.push_back(std::make_unique<AddOp>(path, m.value));
            path.pop_back();
        }
        return;
    }
    const Array *aa = a.array(), *ab = b.array();
    if (aa && ab) {
        diff_arrays(*aa, *ab, path, out);
        return;
    }
    out.push_back(std::make_unique<ReplaceOp>(path, b));
}

static Patch diff(const Value &a, const Value &b)
{
    Patch out;
    Tokens path;
    diff_values(a, b, path, out);
    return out;
}

// ---- merge patch ----

static void merge_apply(Value &target, const Value &patch)
{
    const Object *po = patch.object();
    if (!po) {
        target = patch;
        return;
    }
    if (!target.is_object())
        target = Value(Object{});
    Object &to = *target.object();
    for (const Member &m : *po) {
        if (std::holds_alternative<std::nullptr_t>(m.value.v)) {
            auto it = obj_find(to, m.key);
            if (it != to.end())
                to.erase(it);
            continue;
        }
        auto it = obj_find(to, m.key);
        if (it == to.end()) {
            Value fresh;
            merge_apply(fresh, m.value);
            obj_set(to, m.key, std::move(fresh));
        } else {
            merge_apply(it->value, m.value);
        }
    }
}

static Value merge_diff(const Value &a, const Value &b)
{
    const Object *oa = a.object(), *ob = b.object();
    if (!oa || !ob)
        return b;
    Object out;
    for (const Member &m : *oa)
        if (!obj_get(*ob, m.key))
            obj_set(out, m.key, Value(nullptr));
    for (const Member &m : *ob) {
        const Member *old = obj_get(*oa, m.key);
        if (!old)
            obj_set(out, m.key, m.value);
        else if (old->value != m.value)
            obj_set(out, m.key, merge_diff(old->value, m.value));
    }
    return Value(std::move(out));
}

// merge patches cannot express null members: the round trip only holds without them
static bool has_null_member(const Value &v)
{
    if (const Object *o = v.object()) {
        for (const Member &m : *o)
            if (std::holds_alternative<std::nullptr_t>(m.value.v) || has_null_member(m.value))
                return true;
    }
    return false;
}
