package sbom

import "strings"

// spdxIDs are SPDX licence identifiers that copyright files write as they
// are, by lower-case form. It is a selection of the licences found in
// Debian, not the whole SPDX list: a name missing here becomes a
// LicenseRef, which is still valid, only less useful.
var spdxIDs = func() map[string]string {
	m := map[string]string{}
	for _, id := range strings.Fields(`
		0BSD AFL-2.1 AFL-3.0 AGPL-3.0-only AGPL-3.0-or-later Apache-1.0 Apache-1.1 Apache-2.0
		APSL-2.0 Artistic-1.0 Artistic-1.0-Perl Artistic-2.0 Beerware blessing BSD-1-Clause
		BSD-2-Clause BSD-2-Clause-Patent BSD-3-Clause BSD-3-Clause-Attribution BSD-4-Clause
		BSD-Source-Code BSL-1.0 bzip2-1.0.6 CC-BY-3.0 CC-BY-4.0 CC-BY-SA-3.0 CC-BY-SA-4.0
		CC0-1.0 CDDL-1.0 CDDL-1.1 CECILL-2.1 CPL-1.0 curl ECL-2.0 EPL-1.0 EPL-2.0 EUPL-1.2
		FSFAP FSFUL FSFULLR FTL GFDL-1.1-only GFDL-1.1-or-later GFDL-1.2-only GFDL-1.2-or-later
		GFDL-1.3-only GFDL-1.3-or-later GPL-1.0-only GPL-1.0-or-later GPL-2.0-only
		GPL-2.0-or-later GPL-3.0-only GPL-3.0-or-later HPND HPND-sell-variant ICU IJG ImageMagick
		Info-ZIP IPA ISC JSON LGPL-2.0-only LGPL-2.0-or-later LGPL-2.1-only LGPL-2.1-or-later
		LGPL-3.0-only LGPL-3.0-or-later libpng-2.0 Libpng libtiff LPPL-1.3c MirOS MIT MIT-0
		MIT-CMU MPL-1.0 MPL-1.1 MPL-2.0 MS-PL NCSA Net-SNMP NTP OFL-1.0 OFL-1.1 OLDAP-2.8
		OpenSSL PHP-3.0 PHP-3.01 PostgreSQL PSF-2.0 Python-2.0 Qhull Ruby SGI-B-2.0 Sleepycat
		SMLNJ SSPL-1.0 TCL TCP-wrappers Unicode-3.0 Unicode-DFS-2015 Unicode-DFS-2016 Unlicense
		UPL-1.0 Vim W3C W3C-20150513 WTFPL X11 XFree86-1.1 xinetd Zlib zlib-acknowledgement
		ZPL-2.0 ZPL-2.1`) {
		m[strings.ToLower(id)] = id
	}
	return m
}()
