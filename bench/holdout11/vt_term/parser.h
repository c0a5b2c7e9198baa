/* vt_term/parser.h -- the byte-level parser: a switch over the states ground, escape, escape
 * intermediate, CSI entry/parameter/intermediate/ignore and OSC string, with C0 controls
 * executed inside sequences and CAN/SUB aborting them. State survives between calls, so the
 * input may arrive in pieces of any size. */

static void term_feed(Term *t, const unsigned char *p, size_t n)
{
    const unsigned char *end = p + n;
    while (p < end) {
        int b = *p++;
        if (t->state == S_OSC) {
            if (b == 0x07 || b == 0x1B) {
                osc_dispatch(t);
                t->state = b == 0x1B ? S_ESC : S_GROUND;
            } else if (t->osc_len < OSCMAX - 1) {
                t->osc[t->osc_len++] = (char)b;
            }
            continue;
        }
        if (b == 0x1B) {
            t->state = S_ESC;
            continue;
        }
        if (b == 0x18 || b == 0x1A) {
            t->state = S_GROUND;
            continue;
        }
        if (b < 0x20) {
            execute_c0(t, b);
            continue;
        }
        if (b == 0x7F)
            continue;
        switch (t->state) {
        case S_GROUND:
            put_char(t, b);
            break;
        case S_ESC:
            if (b == '[') {
                t->state = S_CSI_ENTRY;
                t->nparams = 0;
                t->priv = 0;
                memset(t->params, 0, sizeof t->params);
            } else if (b == ']') {
                t->state = S_OSC;
                t->osc_len = 0;
            } else if (b < 0x30) {
                t->state = S_ESC_INTER;
            } else {
                esc_dispatch(t, b);
                if (t->state == S_ESC)
                    t->state = S_GROUND;
            }
            break;
        case S_ESC_INTER:
            if (b >= 0x30)
                t->state = S_GROUND;
            break;
        case S_CSI_ENTRY:
            if (b >= '<' && b <= '?') {
                t->priv = b;
                t->state = S_CSI_PARAM;
                break;
            }
            /* fall through */
        case S_CSI_PARAM:
            if (b >= '0' && b <= '9') {
                if (t->nparams == 0)
                    t->nparams = 1;
                if (t->nparams <= MAXPARAM) {
                    int *v = &t->params[t->nparams - 1];
                    *v = *v * 10 + (b - '0');
                    if (*v > 9999)
                        *v = 9999;
                }
                t->state = S_CSI_PARAM;
            } else if (b == ';') {
                if (t->nparams == 0)
                    t->nparams = 1;
                t->nparams++;
                t->state = S_CSI_PARAM;
            } else if (b < 0x30) {
                t->state = S_CSI_INTER;
            } else if (b < 0x40) {
                t->state = S_CSI_IGNORE;
            } else {
                if (t->nparams > MAXPARAM)
                    t->nparams = MAXPARAM;
                csi_dispatch(t, b);
                t->state = S_GROUND;
            }
            break;
        case S_CSI_INTER:
            if (b >= 0x40)
                t->state = S_GROUND;
            else if (b >= 0x30)
                t->state = S_CSI_IGNORE;
            break;
        case S_CSI_IGNORE:
            if (b >= 0x40)
                t->state = S_GROUND;
            break;
        }
    }
}
