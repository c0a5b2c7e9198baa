// widget_layout — C++ GUI layout engine: widget tree with virtual measure/arrange/paint/hit-test.
//
// A randomly generated widget tree (std::unique_ptr children in std::vector) of labels with word
// wrapping, buttons, fixed-aspect images, horizontal/vertical flex stacks, grids, padding and
// clipping scroll views is laid out in integer pixels at a sweep of window widths: a measure pass
// under width constraints (virtual, recursive), an arrange pass distributing spare space to flex
// children, a paint pass into a display list with a clip stack, and hit tests of random points.
// Between layouts some labels' std::string text is edited (append, erase, replace). The display
// list, measured sizes and hit results feed the checksum.
#include "../programs/bench.h"

#include <memory>
#include <string>
#include <vector>

struct Size {
    int w, h;
};
struct Rect {
    int x, y, w, h;
    bool contains(int px, int py) const { return px >= x && py >= y && px < x + w && py < y + h; }
};

struct DrawCmd {
    int kind, x, y, w, h;
    uint32_t arg;
};

class Canvas {
public:
    std::vector<DrawCmd> cmds;
    std::vector<Rect> clips;
    void reset()
    {
        cmds.clear();
        clips.clear();
    }
    void push_clip(Rect r)
    {
        if (!clips.empty()) {
            const Rect &c = clips.back();
            int x0 = r.x > c.x ? r.x : c.x, y0 = r.y > c.y ? r.y : c.y;
            int x1 = r.x + r.w < c.x + c.w ? r.x + r.w : c.x + c.w;
            int y1 = r.y + r.h < c.y + c.h ? r.y + r.h : c.y + c.h;
            r = Rect{ x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0 };
        }
        clips.push_back(r);
    }
    void pop_clip() { clips.pop_back(); }
    void draw(int kind, Rect r, uint32_t arg)
    {
        if (!clips.empty()) {
            const Rect &c = clips.back();
            if (r.x >= c.x + c.w || r.y >= c.y + c.h || r.x + r.w <= c.x || r.y + r.h <= c.y)
                return; // culled
        }
        cmds.push_back(DrawCmd{ kind, r.x, r.y, r.w, r.h, arg });
    }
};

static int glyph_width(char c, int font)
{
    static const uint8_t w[26] = { 9, 9, 8, 9, 8, 5, 9, 9, 4, 4, 8, 4, 13, 9, 9, 9, 9, 6, 7, 5, 9, 8, 12, 8, 8, 7 };
    int base = (c >= 'a' && c <= 'z') ? w[c - 'a'] : (c == ' ' ? 4 : 7);
    return base * font / 16;
}

class Widget {
public:
    virtual ~Widget() = default;
    virtual Size measure(int maxw) = 0;
    virtual void arrange(Rect r) { rect_ = r; }
    virtual void paint(Canvas &c) const = 0;
    virtual const Widget *hit(int x, int y) const { return rect_.contains(x, y) ? this : nullptr; }
    virtual int kind() const = 0;
    Rect rect_{ 0, 0, 0, 0 };
    Size desired_{ 0, 0 };
    int flex = 0;
    uint32_t id = 0;
};

class Label : public Widget {
public:
    Label(std::string t, int font) : text(std::move(t)), font_(font) {}
    Size measure(int maxw) override
    {
        lines_.clear();
        std::string line;
        int lw = 0, widest = 0;
        size_t pos = 0;
        while (pos < text.size()) {
            size_t sp = text.find(' ', pos);
            if (sp == std::string::npos)
                sp = text.size();
            std::string word = text.substr(pos, sp - pos);
            pos = sp + 1;
            if (word.empty())
                continue;
            int ww = 0;
            for (char ch : word)
                ww += glyph_width(ch, font_);
            int need = line.empty() ? ww : lw + glyph_width(' ', font_) + ww;
            if (need > maxw && !line.empty()) {
                if (lw > widest)
                    widest = lw;
                lines_.push_back(line);
                line = word;
                lw = ww;
            } else {
                if (!line.empty())
                    line += ' ';
                line += word;
                lw = need;
            }
        }
        if (!line.empty()) {
            lines_.push_back(line);
            if (lw > widest)
                widest = lw;
        }
        desired_ = Size{ widest, (int)lines_.size() * (font_ * 5 / 4) };
        return desired_;
    }
    void paint(Canvas &c) const override
    {
        int lh = font_ * 5 / 4;
        for (size_t i = 0; i < lines_.size(); i++) {
            uint32_t hsh = 2166136261u;
            for (char ch : lines_[i])
                hsh = (hsh ^ (uint8_t)ch) * 16777619u;
            c.draw(1, Rect{ rect_.x, rect_.y + (int)i * lh, rect_.w, lh }, hsh);
        }
    }
    int kind() const override { return 1; }
    std::string text;

protected:
    int font_;
    std::vector<std::string> lines_;
};

class Button : public Label {
public:
    Button(std::string t, int font) : Label(std::move(t), font) {}
    Size measure(int maxw) override
    {
        Size s = Label::measure(maxw - 24 > 16 ? maxw - 24 : 16);
        desired_ = Size{ s.w + 24, s.h + 12 };
        return desired_;
    }
    void arrange(Rect r) override
    {
        rect_ = r;
        label_rect_ = Rect{ r.x + 12, r.y + 6, r.w - 24, r.h - 12 };
    }
    void paint(Canvas &c) const override
    {
        c.draw(2, rect_, 0x3366ccu ^ id);
        Label tmp(*this);
        tmp.rect_ = label_rect_;
        tmp.Label::paint(c);
    }
    int kind() const override { return 2; }

private:
    Rect label_rect_{ 0, 0, 0, 0 };
};

class Image : public Widget {
public:
    Image(int w, int h) : iw_(w), ih_(h) {}
    Size measure(int maxw) override
    {
        int w = iw_ < maxw ? iw_ : maxw;
        desired_ = Size{ w, ih_ * w / iw_ };
        return desired_;
    }
    void paint(Canvas &c) const override { c.draw(3, rect_, (uint32_t)(iw_ * 1000 + ih_)); }
    int kind() const override { return 3; }

private:
    int iw_, ih_;
};

class Container : public Widget {
public:
    std::vector<std::unique_ptr<Widget>> kids;
    void paint(Canvas &c) const override
    {
        c.draw(4, rect_, id);
        for (const auto &k : kids)
            k->paint(c);
    }
    const Widget *hit(int x, int y) const override
    {
        if (!rect_.contains(x, y))
            return nullptr;
        for (size_t i = kids.size(); i-- > 0;)
            if (const Widget *w = kids[i]->hit(x, y))
                return w;
        return this;
    }
};

class Stack : public Container {
public:
    Stack(bool horizontal, int spacing) : horiz_(horizontal), spacing_(spacing) {}
    Size measure(int maxw) override
    {
        int main = 0, cross = 0;
        int n = (int)kids.size();
        int avail = maxw - spacing_ * (n > 0 ? n - 1 : 0);
        for (auto &k : kids) {
            int mw = horiz_ ? (avail / (n ? n : 1) > 8 ? avail / (n ? n : 1) : 8) : maxw;
            Size s = k->measure(mw);
            if (horiz_) {
                main += s.w;
                if (s.h > cross)
                    cross = s.h;
            } else {
                main += s.h;
                if (s.w > cross)
                    cross = s.w;
            }
        }
        main += spacing_ * (n > 0 ? n - 1 : 0);
        desired_ = horiz_ ? Size{ main, cross } : Size{ cross, main };
        return desired_;
    }
    void arrange(Rect r) override
    {
        rect_ = r;
        int total = horiz_ ? r.w : r.h;
        int used = 0, flexsum = 0;
        for (auto &k : kids) {
            used += horiz_ ? k->desired_.w : k->desired_.h;
            flexsum += k->flex;
        }
        used += spacing_ * ((int)kids.size() - 1);
        int spare = total - used;
        if (spare < 0)
            spare = 0;
        int pos = horiz_ ? r.x : r.y, given = 0, fseen = 0;
        for (auto &k : kids) {
            int extra = 0;
            if (flexsum > 0 && k->flex > 0) {
                fseen += k->flex;
                int upto = spare * fseen / flexsum;
                extra = upto - given;
                given = upto;
            }
            if (horiz_) {
                int w = k->desired_.w + extra;
                k->arrange(Rect{ pos, r.y, w, r.h });
                pos += w + spacing_;
            } else {
                int h = k->desired_.h + extra;
                k->arrange(Rect{ r.x, pos, r.w, h });
                pos += h + spacing_;
            }
        }
    }
    int kind() const override { return horiz_ ? 5 : 6; }

private:
    bool horiz_;
    int spacing_;
};

class Grid : public Container {
public:
    explicit Grid(int cols) : cols_(cols) {}
    Size measure(int maxw) override
    {
        int cw = maxw / cols_;
        colw_.assign((size_t)cols_, 0);
        rowh_.assign((kids.size() + (size_t)cols_ - 1) / (size_t)cols_, 0);
        for (size_t i = 0; i < kids.size(); i++) {
            Size s = kids[i]->measure(cw);
            int &c = colw_[i % (size_t)cols_];
            int &rr = rowh_[i / (size_t)cols_];
            if (s.w > c)
                c = s.w;
            if (s.h > rr)
                rr = s.h;
        }
        int w = 0, h = 0;
        for (int c : colw_)
            w += c;
        for (int rr : rowh_)
            h += rr;
        desired_ = Size{ w, h };
        return desired_;
    }
    void arrange(Rect r) override
    {
        rect_ = r;
        int y = r.y;
        for (size_t row = 0; row < rowh_.size(); row++) {
            int x = r.x;
            for (size_t c = 0; c < (size_t)cols_; c++) {
                size_t i = row * (size_t)cols_ + c;
                if (i >= kids.size())
                    break;
                kids[i]->arrange(Rect{ x, y, colw_[c], rowh_[row] });
                x += colw_[c];
            }
            y += rowh_[row];
        }
    }
    int kind() const override { return 7; }

private:
    int cols_;
    std::vector<int> colw_, rowh_;
};

class Padding : public Container {
public:
    explicit Padding(int p) : p_(p) {}
    Size measure(int maxw) override
    {
        Size s = kids[0]->measure(maxw - 2 * p_ > 8 ? maxw - 2 * p_ : 8);
        desired_ = Size{ s.w + 2 * p_, s.h + 2 * p_ };
        return desired_;
    }
    void arrange(Rect r) override
    {
        rect_ = r;
        kids[0]->arrange(Rect{ r.x + p_, r.y + p_, r.w - 2 * p_, r.h - 2 * p_ });
    }
    int kind() const override { return 8; }

private:
    int p_;
};

class Scroll : public Container {
public:
    Scroll(int maxh, int offset) : maxh_(maxh), off_(offset) {}
    Size measure(int maxw) override
    {
        Size s = kids[0]->measure(maxw);
        desired_ = Size{ s.w, s.h < maxh_ ? s.h : maxh_ };
        return desired_;
    }
    void arrange(Rect r) override
    {
        rect_ = r;
        int ch = kids[0]->desired_.h;
        int off = ch > r.h ? off_ % (ch - r.h + 1) : 0;
        kids[0]->arrange(Rect{ r.x, r.y - off, r.w, ch });
    }
    void paint(Canvas &c) const override
    {
        c.draw(9, rect_, id);
        c.push_clip(rect_);
        kids[0]->paint(c);
        c.pop_clip();
    }
    const Widget *hit(int x, int y) const override
    {
        if (!rect_.contains(x, y))
            return nullptr;
        const Widget *w = kids[0]->hit(x, y);
        return w ? w : this;
    }
    int kind() const override { return 9; }

private:
    int maxh_, off_;
};

static const char *WORDS[] = { "open", "save", "settings", "profile", "network", "the", "quick",
    "brown", "fox", "jumps", "over", "lazy", "dog", "account", "preferences", "display",
    "notification", "a", "of", "window", "layout", "engine", "measure", "arrange", "paint" };

struct Builder {
    bench_rng rng;
    std::vector<Label *> labels;
    uint32_t next_id = 1;
    std::string sentence(int n)
    {
        std::string s;
        for (int i = 0; i < n; i++) {
            if (i)
                s += ' ';
            s += WORDS[rng_below(&rng, 25)];
        }
        return s;
    }
    std::unique_ptr<Widget> build(int depth)
    {
        std::unique_ptr<Widget> w;
        uint32_t k = depth >= 5 ? rng_below(&rng, 3) : rng_below(&rng, 10);
        if (k == 0 || (k == 1 && depth >= 5)) {
            auto l = std::make_unique<Label>(sentence(1 + (int)rng_below(&rng, 14)), 12 + (int)rng_below(&rng, 4) * 2);
            labels.push_back(l.get());
            w = std::move(l);
        } else if (k == 1) {
            auto b = std::make_unique<Button>(sentence(1 + (int)rng_below(&rng, 3)), 14);
            labels.push_back(b.get());
            w = std::move(b);
        } else if (k == 2) {
            w = std::make_unique<Image>(40 + (int)rng_below(&rng, 300), 30 + (int)rng_below(&rng, 200));
        } else if (k <= 5) {
            auto s = std::make_unique<Stack>(k == 3, (int)rng_below(&rng, 8));
            int n = 2 + (int)rng_below(&rng, 4);
            for (int i = 0; i < n; i++) {
                s->kids.push_back(build(depth + 1));
                s->kids.back()->flex = (int)rng_below(&rng, 3);
            }
            w = std::move(s);
        } else if (k == 6) {
            auto g = std::make_unique<Grid>(2 + (int)rng_below(&rng, 3));
            int n = 3 + (int)rng_below(&rng, 6);
            for (int i = 0; i < n; i++)
                g->kids.push_back(build(depth + 1));
            w = std::move(g);
        } else if (k == 7 || k == 8) {
            auto p = std::make_unique<Padding>(2 + (int)rng_below(&rng, 10));
            p->kids.push_back(build(depth + 1));
            w = std::move(p);
        } else {
            auto sc = std::make_unique<Scroll>(150 + (int)rng_below(&rng, 250), (int)rng_below(&rng, 500));
            sc->kids.push_back(build(depth + 1));
            w = std::move(sc);
        }
        w->id = next_id++;
        return w;
    }
};

int main(int argc, char **argv)
{
    int scale = bench_scale(argc, argv, 10);
    Builder b;
    b.rng.s = 0x1A7047ULL;
    auto root = std::make_unique<Stack>(false, 4);
    for (int i = 0; i < 40; i++)
        root->kids.push_back(b.build(1));
    root->id = 0;

    double start = bench_now();
    Canvas canvas;
    uint64_t h = 0, cmds = 0, hits = 0;
    int layouts = scale * 200;
    for (int n = 0; n < layouts; n++) {
        int width = 320 + (n * 37) % 1000;
        // edit a few labels
        for (int e = 0; e < 6; e++) {
            Label *l = b.labels[rng_below(&b.rng, (uint32_t)b.labels.size())];
            uint32_t op = rng_below(&b.rng, 3);
            if (op == 0 && l->text.size() < 200) {
                l->text += ' ';
                l->text += WORDS[rng_below(&b.rng, 25)];
            } else if (op == 1 && l->text.size() > 10) {
                size_t sp = l->text.rfind(' ');
                if (sp != std::string::npos)
                    l->text.erase(sp);
            } else {
                size_t at = l->text.find(WORDS[rng_below(&b.rng, 25)]);
                if (at != std::string::npos)
                    l->text.replace(at, 1, "X");
            }
        }
        Size s = root->measure(width);
        root->arrange(Rect{ 0, 0, width, s.h });
        canvas.reset();
        root->paint(canvas);
        h = mix64(h, (uint64_t)s.w << 32 | (uint32_t)s.h);
        for (const DrawCmd &c : canvas.cmds)
            h = mix64(h, (uint64_t)(uint32_t)(c.x * 31 + c.y) << 32 ^ (uint32_t)(c.w * 7 + c.h) ^ c.arg ^ (uint64_t)c.kind << 60);
        cmds += canvas.cmds.size();
        for (int t = 0; t < 300; t++) {
            int x = (int)rng_below(&b.rng, (uint32_t)width), y = (int)rng_below(&b.rng, (uint32_t)(s.h > 0 ? s.h : 1));
            const Widget *w = root->hit(x, y);
            if (w) {
                hits++;
                h = mix64(h, (uint64_t)w->id << 8 | (uint64_t)w->kind());
            }
        }
    }
    bench_report(start);
    printf("widget_layout layouts=%d labels=%zu draw_cmds=%llu hits=%llu checksum=%016llx\n", layouts,
        b.labels.size(), (unsigned long long)cmds, (unsigned long long)hits, (unsigned long long)h);
    return 0;
}
