package xlsx

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"
)

// The parts of an .xlsx package are read with this small streaming XML
// lexer rather than encoding/xml or excelize: it holds at most one tag or
// one text run at a time, each with a bound, so no input can make it buffer
// a whole part, and it is about ten times faster than encoding/xml on
// worksheets (which matters for 50 MB sheets). It understands what Office
// writes: tags with quoted attributes, text with the five named and the
// numeric character references, CDATA, comments and processing
// instructions; it refuses DOCTYPE declarations, which OOXML forbids.

// Bounds of the lexer.
const (
	// maxTagBytes bounds one tag with its attributes; Office's longest
	// (a custom number format, a defined name) are a few hundred bytes.
	maxTagBytes = 64 << 10
	// maxTextBytes bounds one text run between tags before decoding. Every
	// character reference is at most 10 bytes, so a longer run always
	// decodes to more than MaxCellChars characters.
	maxTextBytes = 10 * (MaxCellChars + 1)
	// lexBuffer is the read buffer of the lexer.
	lexBuffer = 64 << 10
)

// Kinds of token.
const (
	tokEOF = iota
	tokStart
	tokEnd
	tokText
)

var (
	errTextTooLong = errors.New("text run too long")
	errTagTooLong  = errors.New("tag too long")
	errDoctype     = errors.New("DOCTYPE or other declaration")
	errBadXML      = errors.New("malformed XML")
)

// lexer reads XML tokens from a part. Slices it returns stay valid until
// the next call of next.
type lexer struct {
	r    *bufio.Reader
	acc  []byte // a tag or text run spanning several reads
	text []byte // decoded text
	// Token fields set by next.
	kind        int
	name        []byte // local name of a start or end tag
	attrs       []byte // raw attribute text of a start tag
	selfClosing bool
	data        []byte // decoded text of a text token
}

func newLexer(r io.Reader) *lexer {
	return &lexer{r: bufio.NewReaderSize(r, lexBuffer)}
}

// next reads the next token into l.kind and the fields that go with it.
func (l *lexer) next() error {
	l.acc = l.acc[:0] // may hold the last token's tag
	for {
		// Text up to the next '<'.
		seg, err := l.r.ReadSlice('<')
		if err == nil {
			seg = seg[:len(seg)-1]
		}
		if err == bufio.ErrBufferFull || (err == nil && len(l.acc) > 0) {
			if len(l.acc)+len(seg) > maxTextBytes {
				return errTextTooLong
			}
			l.acc = append(l.acc, seg...)
			if err != nil {
				continue
			}
			seg = l.acc
		} else if err != nil && err != io.EOF {
			return err
		}
		if err == io.EOF {
			if len(l.acc) > 0 {
				if len(l.acc)+len(seg) > maxTextBytes {
					return errTextTooLong
				}
				seg = append(l.acc, seg...)
			}
			if len(seg) > maxTextBytes {
				return errTextTooLong
			}
			l.acc = l.acc[:0]
			if len(bytes.TrimSpace(seg)) > 0 {
				return fmt.Errorf("%w: text after the last tag", errBadXML)
			}
			l.kind = tokEOF
			return nil
		}
		if len(seg) > 0 {
			l.kind = tokText
			l.data = unescapeXML(l.text[:0], seg)
			l.text = l.data[:0]
			l.acc = l.acc[:0]
			return l.unread()
		}
		l.acc = l.acc[:0]
		done, err := l.markup()
		if err != nil || done {
			return err
		}
	}
}

// unread puts back the '<' that ended a text run, so the next call starts
// with the markup.
func (l *lexer) unread() error {
	if err := l.r.UnreadByte(); err != nil {
		return fmt.Errorf("unread: %w", err)
	}
	return nil
}

// markup reads what follows a '<'. It returns done = false for comments
// and processing instructions, which it skips.
func (l *lexer) markup() (done bool, err error) {
	first, err := l.r.Peek(1)
	if err != nil {
		return false, eof(err)
	}
	switch first[0] {
	case '?':
		return false, l.skipUntil("?>")
	case '!':
		head, _ := l.r.Peek(8)
		switch {
		case bytes.HasPrefix(head, []byte("!--")):
			_, _ = l.r.Discard(3)
			return false, l.skipUntil("-->")
		case bytes.Equal(head, []byte("![CDATA[")):
			_, _ = l.r.Discard(8)
			return true, l.cdata()
		}
		return false, errDoctype
	}
	tag, err := l.readTag()
	if err != nil {
		return false, err
	}
	end := tag[0] == '/'
	if end {
		tag = tag[1:]
	}
	k := 0
	for k < len(tag) && !isSpace(tag[k]) && tag[k] != '/' {
		k++
	}
	if k == 0 {
		return false, fmt.Errorf("%w: empty tag name", errBadXML)
	}
	l.name = tag[:k]
	if i := bytes.IndexByte(l.name, ':'); i >= 0 {
		l.name = l.name[i+1:]
	}
	if end {
		l.kind = tokEnd
		return true, nil
	}
	l.kind = tokStart
	l.selfClosing = tag[len(tag)-1] == '/'
	l.attrs = tag[k:]
	if l.selfClosing && len(l.attrs) > 0 {
		l.attrs = l.attrs[:len(l.attrs)-1]
	}
	return true, nil
}

// readTag reads a tag after its '<' up to its '>' outside quotes and
// returns what lies between.
func (l *lexer) readTag() ([]byte, error) {
	var quote byte
	for {
		seg, err := l.r.ReadSlice('>')
		if err != nil && err != bufio.ErrBufferFull {
			return nil, eof(err)
		}
		for _, ch := range seg {
			switch {
			case quote != 0:
				if ch == quote {
					quote = 0
				}
			case ch == '"' || ch == '\'':
				quote = ch
			}
		}
		if len(l.acc) == 0 && err == nil && quote == 0 {
			if len(seg) < 2 {
				return nil, fmt.Errorf("%w: empty tag", errBadXML)
			}
			return seg[:len(seg)-1], nil
		}
		if len(l.acc)+len(seg) > maxTagBytes {
			return nil, errTagTooLong
		}
		l.acc = append(l.acc, seg...)
		if err == nil && quote == 0 {
			if len(l.acc) < 2 {
				return nil, fmt.Errorf("%w: empty tag", errBadXML)
			}
			return l.acc[:len(l.acc)-1], nil
		}
	}
}

// skipUntil discards input up to and including end, holding at most
// len(end) bytes of it.
func (l *lexer) skipUntil(end string) error {
	prefix := []byte(end[:len(end)-1])
	var tail []byte // the last bytes read, at most len(prefix)
	for {
		seg, err := l.r.ReadSlice(end[len(end)-1])
		if err != nil && err != bufio.ErrBufferFull {
			return eof(err)
		}
		if err == nil {
			before := seg[:len(seg)-1]
			if len(before) < len(prefix) {
				before = append(append([]byte(nil), tail...), before...)
			}
			if bytes.HasSuffix(before, prefix) {
				return nil
			}
		}
		joined := append(append([]byte(nil), tail...), seg[max(0, len(seg)-len(prefix)):]...)
		tail = joined[max(0, len(joined)-len(prefix)):]
	}
}

// cdata reads a CDATA section after "<![CDATA[" as a text token.
func (l *lexer) cdata() error {
	l.acc = l.acc[:0]
	for {
		seg, err := l.r.ReadSlice('>')
		if err != nil && err != bufio.ErrBufferFull {
			return eof(err)
		}
		if len(l.acc)+len(seg) > maxTextBytes {
			return errTextTooLong
		}
		l.acc = append(l.acc, seg...)
		if err == nil && bytes.HasSuffix(l.acc, []byte("]]>")) {
			l.kind = tokText
			l.data = append(l.text[:0], l.acc[:len(l.acc)-3]...)
			l.text = l.data[:0]
			l.acc = l.acc[:0]
			return nil
		}
	}
}

// eof turns the end of input inside markup into an error.
func eof(err error) error {
	if err == io.EOF {
		return fmt.Errorf("%w: %w", errBadXML, io.ErrUnexpectedEOF)
	}
	return err
}

func isSpace(ch byte) bool { return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' }

// unescapeXML appends raw text to dst with character references replaced
// and line ends normalised to \n, as an XML parser does.
func unescapeXML(dst, raw []byte) []byte {
	if bytes.IndexByte(raw, '&') < 0 && bytes.IndexByte(raw, '\r') < 0 {
		return append(dst, raw...)
	}
	for i := 0; i < len(raw); i++ {
		ch := raw[i]
		switch ch {
		case '\r':
			dst = append(dst, '\n')
			if i+1 < len(raw) && raw[i+1] == '\n' {
				i++
			}
		case '&':
			semi := bytes.IndexByte(raw[i+1:min(len(raw), i+12)], ';')
			if semi < 0 {
				dst = append(dst, ch)
				continue
			}
			if r, ok := entity(raw[i+1 : i+1+semi]); ok {
				dst = utf8.AppendRune(dst, r)
				i += semi + 1
				continue
			}
			dst = append(dst, ch)
		default:
			dst = append(dst, ch)
		}
	}
	return dst
}

// entity returns the character a reference's name (between & and ;)
// stands for.
func entity(name []byte) (rune, bool) {
	switch string(name) {
	case "lt":
		return '<', true
	case "gt":
		return '>', true
	case "amp":
		return '&', true
	case "quot":
		return '"', true
	case "apos":
		return '\'', true
	}
	if len(name) < 2 || name[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if name[1] == 'x' {
		n, err = strconv.ParseUint(string(name[2:]), 16, 32)
	} else {
		n, err = strconv.ParseUint(string(name[1:]), 10, 32)
	}
	if err != nil || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}

// attr returns the decoded value of the attribute key (matched without
// namespace prefix) in a tag's attribute text, or "".
func attr(attrs []byte, key string) string {
	v, _ := attrBytes(attrs, key)
	if bytes.IndexByte(v, '&') < 0 {
		return string(v)
	}
	return string(unescapeXML(nil, v))
}

// attrBytes returns the raw value of the attribute key in attrs.
func attrBytes(attrs []byte, key string) ([]byte, bool) {
	for len(attrs) > 0 {
		eq := bytes.IndexByte(attrs, '=')
		if eq < 0 {
			return nil, false
		}
		name := bytes.TrimSpace(attrs[:eq])
		rest := bytes.TrimLeft(attrs[eq+1:], " \t\r\n")
		if len(rest) == 0 || (rest[0] != '"' && rest[0] != '\'') {
			return nil, false
		}
		q := rest[0]
		end := bytes.IndexByte(rest[1:], q)
		if end < 0 {
			return nil, false
		}
		if k := bytes.IndexByte(name, ':'); k >= 0 {
			name = name[k+1:]
		}
		if string(name) == key {
			return rest[1 : 1+end], true
		}
		attrs = rest[end+2:]
	}
	return nil, false
}
