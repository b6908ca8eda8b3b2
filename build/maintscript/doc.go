// Package maintscript produces, natively and deterministically, the files
// that the maintainer scripts (preinst, postinst, triggers) of a set of
// Debian packages would have created. ingot never runs maintainer scripts:
// they need a shell, a running system and root, and their output depends on
// the build host. Generate returns layer entries for an image's final small
// "system" layer instead.
//
// It is not for unpacking packages (see debian/deb and image/layer) nor for
// deciding which packages are installed (see debian/resolve).
//
// # Emulated
//
//   - /etc/passwd, /etc/group, /etc/shadow, /etc/gshadow: base-passwd's
//     usr/share/base-passwd/{passwd,group}.master when base-passwd is
//     installed (what its preinst copies), otherwise a minimal root (0) and
//     nobody/nogroup (65534) set like distroless; plus the system accounts
//     that postinst scripts create with literal "adduser --system",
//     "addgroup --system", "useradd -r", "groupadd" and group memberships
//     added with "adduser USER GROUP", "usermod -a -G" or "gpasswd -a"; plus the spec's
//     users and groups. A name or id collision with the spec is an error.
//     Passwords are "x" in passwd; every shadow entry is locked ("*" for
//     base-passwd accounts, "!" for the others) with an empty last-change
//     date, so nothing depends on the build date. Modes are Debian's: passwd
//     and group 0644, shadow and gshadow 0640 root:shadow (gid 42) when a
//     shadow group exists, root:root otherwise.
//   - The CA bundle, when ca-certificates is installed: /etc/ca-certificates.conf
//     listing every *.crt under /usr/share/ca-certificates (the postinst's
//     debconf default: all enabled, byte-sorted), /etc/ssl/certs/ca-certificates.crt
//     concatenated in that order as update-ca-certificates builds it (each
//     file ending in a newline; certificates under
//     /usr/local/share/ca-certificates follow), /etc/ssl/certs/<name>.pem
//     symlinks and the OpenSSL subject-hash links <hash>.N that "openssl
//     rehash" makes (subject canonicalised and hashed exactly as
//     X509_NAME_hash: SHA-1 of the canonical encoding, first four bytes
//     little-endian; duplicates skipped, collisions numbered in file-name
//     order). The hash is written here because Go's crypto/x509 does not
//     expose OpenSSL's canonical name encoding; it is tested against the
//     openssl command.
//   - /etc/os-release: only when no package ships usr/lib/os-release or
//     etc/os-release (bookworm's base-files does), usr/lib/os-release is
//     written from Input.OSRelease and etc/os-release links to it.
//   - update-alternatives: literal "update-alternatives --install LINK NAME
//     PATH PRIORITY [--slave LINK NAME PATH]..." calls in postinst scripts
//     (line continuations, quotes, --quiet and several calls per script are
//     handled). Per name the highest priority wins, ties going to the first
//     path in byte order, as update-alternatives' auto mode does. The result
//     is etc/alternatives/NAME -> PATH, LINK -> /etc/alternatives/NAME, the
//     same for slaves whose target exists in the image, and the admin file
//     var/lib/dpkg/alternatives/NAME in update-alternatives' format. A
//     choice whose PATH is not in the image is dropped, as
//     update-alternatives refuses it; a LINK that a package ships as a
//     real file is left alone.
//   - The dpkg database: var/lib/dpkg/status (each package's control stanza
//     with "Status: install ok installed", fields in the order dpkg writes
//     them, Conffiles with the MD5 of each conffile's body in the image),
//     info/<pkg>.list (<pkg>:<arch>.list for Multi-Arch: same), .md5sums,
//     .conffiles, every other control member (maintainer scripts,
//     templates, triggers, shlibs, ...) as dpkg keeps them, info/format,
//     empty available, diversions and statoverride, arch (the native
//     architecture) and the updates/, triggers/ and alternatives/
//     directories. dpkg-query -W and -L work on the result, as do SBOM
//     scanners that read the dpkg database.
//
// # Not emulated
//
//   - Anything a script computes at run time. Scripts are parsed, not run:
//     quotes, escapes, line continuations, comments, here-documents and
//     redirections are understood; a variable is substituted only when the
//     script assigns it exactly one literal value ("USER=messagebus" ...
//     "$USER"), and a call through a function the script defines
//     ("in_sysroot adduser ...") is taken as the call itself. Any other
//     call with a variable, command substitution or glob in its arguments
//     is skipped and reported in Result.Skipped and to Input.Logger
//     (Generate drops the report; Emulate returns it). Loops, functions and
//     conditions are not evaluated: a literal call is taken wherever it
//     appears in the preinst or postinst (update-alternatives: postinst).
//   - Account ids chosen by adduser/useradd: a system account without an
//     explicit id gets the lowest free id in 100-999 (packages in name
//     order, calls in script order), which may differ from a real install.
//     Home directories are not created. systemd-sysusers files, debconf
//     questions and passwords are not handled.
//   - Other maintainer-script work: debconf, systemd units and
//     invoke-rc.d, ldconfig (no etc/ld.so.cache is written; the loader
//     still searches its built-in multiarch directories), triggers
//     (triggers/File is not written), dpkg-statoverride, diversions
//     (dpkg-divert), ucf, gconf, update-ca-certificates hooks (e.g. Java
//     keystores), shared MIME, fonts, locales, man-db and the like.
//   - update-alternatives actions other than --install, manual selections
//     (--set) and /etc/alternatives links of groups whose choices are all
//     absent from the image.
package maintscript
