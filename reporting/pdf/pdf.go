package pdf

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"

	"github.com/openbackoffice/backoffice/reporting"
	"github.com/openbackoffice/backoffice/reporting/xlsx"
)

// ErrNoLibreOffice means that LibreOffice, which renders the PDF, is not
// installed (or not where Options.Soffice says).
var ErrNoLibreOffice = errors.New("pdf: LibreOffice (soffice) is not installed; install it (Debian: apt-get install libreoffice-calc-nogui) or set Options.Soffice")

// ConvertError is a failed conversion: LibreOffice ran but wrote no PDF,
// or exited with an error. Output is what it printed.
type ConvertError struct {
	Workbook string // the workbook's file name
	Output   string
	Err      error
}

func (e *ConvertError) Error() string {
	msg := fmt.Sprintf("pdf: LibreOffice did not convert %s", e.Workbook)
	if e.Err != nil {
		msg += ": " + e.Err.Error()
	}
	if out := strings.TrimSpace(e.Output); out != "" {
		msg += " (" + out + ")"
	}
	return msg
}

func (e *ConvertError) Unwrap() error { return e.Err }

// Options configure Write and Convert. A nil *Options means the defaults.
type Options struct {
	// Soffice is the LibreOffice binary; "" looks up soffice on the PATH.
	Soffice string
	// Workbook configures the workbook the PDF is printed from (charts,
	// paper); nil means xlsx's defaults.
	Workbook *xlsx.Options
	// Locale is the locale LibreOffice formats with ("de-DE"); "" means
	// the locale of the first report's language (Messages.Locale).
	Locale string
	// TmpDir holds the conversion's files ("" is os.TempDir()).
	TmpDir string
}

// soffice returns the binary to run, or ErrNoLibreOffice.
func (o *Options) soffice() (string, error) {
	if o.Soffice != "" {
		if _, err := os.Stat(o.Soffice); err != nil {
			return "", fmt.Errorf("%w: %v", ErrNoLibreOffice, err)
		}
		return o.Soffice, nil
	}
	p, err := exec.LookPath("soffice")
	if err != nil {
		return "", ErrNoLibreOffice
	}
	return p, nil
}

// Write renders reports as a PDF to w: the workbook xlsx.Write makes of
// them (one sheet per report, charts as opts.Workbook asks), printed by
// LibreOffice with its page setup — paper, orientation, scale, repeated
// headings, page header and footer. It fails with ErrNoLibreOffice if
// LibreOffice is not installed and with a *ConvertError if it fails. Write
// is safe for concurrent use; each call runs its own LibreOffice process.
func Write(ctx context.Context, w io.Writer, reports []reporting.Report, opts *Options) error {
	if opts == nil {
		opts = &Options{}
	}
	if _, err := opts.soffice(); err != nil {
		return err
	}
	var book bytes.Buffer
	if err := xlsx.Write(&book, reports, opts.Workbook); err != nil {
		return err
	}
	o := *opts
	if o.Locale == "" && len(reports) > 0 {
		o.Locale = reporting.MessagesFor(reports[0].Language).Locale()
	}
	dir, err := os.MkdirTemp(o.TmpDir, "backoffice-pdf-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	in := filepath.Join(dir, "report.xlsx")
	if err := os.WriteFile(in, book.Bytes(), 0o600); err != nil {
		return err
	}
	if err := Convert(ctx, &o, dir, in); err != nil {
		return err
	}
	f, err := os.Open(filepath.Join(dir, "report.pdf"))
	if err != nil {
		return err
	}
	defer f.Close()
	_, err = io.Copy(w, f)
	return err
}

// registry is the LibreOffice profile a conversion runs with: the locale
// numbers and dates are shown in, and every formula recalculated on load
// (the workbook's cached values are right, but a PDF must not depend on
// it).
const registry = `<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>%s</value></prop></item>
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooLocale" oor:op="fuse"><value>%s</value></prop></item>
<item oor:path="/org.openoffice.Calc/Formula/Load"><prop oor:name="OOXMLRecalcMode" oor:op="fuse"><value>0</value></prop></item>
</oor:items>
`

// Convert has LibreOffice print each workbook (.xlsx files) to a PDF of
// the same base name in outDir, in one LibreOffice process: starting it
// takes seconds, so convert many workbooks in one call. opts.Workbook is
// ignored. It fails with ErrNoLibreOffice if LibreOffice is not installed
// and with a *ConvertError naming the first workbook without a PDF.
func Convert(ctx context.Context, opts *Options, outDir string, workbooks ...string) error {
	if opts == nil {
		opts = &Options{}
	}
	bin, err := opts.soffice()
	if err != nil {
		return err
	}
	profile, err := os.MkdirTemp(opts.TmpDir, "backoffice-soffice-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	locale := opts.Locale
	if locale == "" {
		locale = "en-GB"
	}
	if err := os.MkdirAll(filepath.Join(profile, "user"), 0o700); err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(profile, "user", "registrymodifications.xcu"), fmt.Appendf(nil, registry, locale, locale), 0o600); err != nil {
		return err
	}
	args := []string{"--headless", "--norestore", "--nolockcheck", "--nodefault",
		"-env:UserInstallation=file://" + filepath.ToSlash(profile), "--convert-to", "pdf:calc_pdf_Export", "--outdir", outDir}
	args = append(args, workbooks...)
	cmd := exec.CommandContext(ctx, bin, args...)
	cmd.Env = append(os.Environ(), "HOME="+profile)
	out, runErr := cmd.CombinedOutput()
	for _, wb := range workbooks {
		name := strings.TrimSuffix(filepath.Base(wb), filepath.Ext(wb)) + ".pdf"
		if st, err := os.Stat(filepath.Join(outDir, name)); err != nil || st.Size() == 0 {
			if runErr == nil {
				runErr = errors.New("no PDF written")
			}
			return &ConvertError{Workbook: filepath.Base(wb), Output: string(out), Err: runErr}
		}
	}
	if ctx.Err() != nil {
		return ctx.Err()
	}
	return nil
}
