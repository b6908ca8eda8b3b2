// Package resolve chooses the set of Debian binary packages that installing a
// request needs, the way apt-get install --no-install-recommends chooses it on
// an empty system, from a debian.Index.
//
// It is for turning a package list into a closed, conflict-free set for one
// architecture (the input of a lock file and an image build). It is not a
// general SAT solver: like apt's MarkInstall it walks dependencies depth-first
// and commits to the first workable alternative without backtracking, so a
// request apt cannot install is an error here too. It does not download
// anything and does not read the dpkg status of a running system.
//
// The rules, and where they come from:
//
//   - Requested packages are marked first (in request order, duplicates
//     folded), then their dependencies are installed depth-first,
//     Pre-Depends before Depends, relations in field order, as apt-get
//     install does (TryToInstall, then doAutoInstall). apt visits the
//     requested packages in its cache's internal order; ingot uses request
//     order, which only matters when two requests reach the same
//     alternative differently.
//   - A relation already satisfied by a chosen or requested package is not
//     touched. Otherwise the solutions are, alternative by alternative, the
//     candidate of the named real package if it satisfies the constraint and
//     every package whose candidate Provides the name (versioned Provides
//     "foo (= 1.0)" satisfy versioned dependencies; unversioned Provides only
//     satisfy unversioned ones). Within one alternative solutions are ordered
//     as apt's CompareProviders orders them: the real package first, then
//     Essential: yes, then Important: yes / Protected: yes, then by Priority
//     (required, important, standard, optional, extra), then by name. apt's
//     last tie-break is its cache's internal package id, which depends on
//     file order; ingot uses the name so the outcome is deterministic.
//     The first solution wins unless it conflicts with a requested package.
//     A package chosen earlier (not requested) that conflicts with the new
//     choice is dropped, as apt's MarkInstall drops it with MarkKeep; what it
//     pulled in stays, as with apt, and relations it satisfied are resolved
//     again (Result.Dropped lists such packages; libreoffice-core-nogui for
//     libreoffice is the real-world case).
//   - Only candidate versions are used (the index's best version), except
//     for a package the request pins with name=version: apt does the same
//     (SetCandidateVersion), so a dependency that the candidate does not
//     satisfy is unsatisfiable even if an older version would.
//   - name:any is satisfied only by Multi-Arch: allowed packages, name:native
//     and unqualified names by packages of the index's architecture or "all";
//     Multi-Arch: foreign packages satisfy any qualifier (dpkg's
//     deparchsatisfied). Architecture restriction lists and build profiles
//     are build-dependency syntax and are ignored.
//   - Recommends are followed only with WithRecommends (and never make the
//     request fail); the Essential set is added only with WithEssential.
//   - Conflicts and Breaks between chosen packages (directly or through
//     Provides) are a *ConflictError; a package never conflicts with itself.
//
// The real-archive test checks these rules against apt-get itself: the sets
// for the requests on amd64 and arm64 equal apt's, name for name and
// version for version, also with Recommends and with the Essential set
// (during development also gnome-core, kde-standard, libreoffice,
// texlive-full, task-gnome-desktop and twenty others).
//
// The walk is iterative, so dependency depth is bounded only by memory.
// An Index sorts itself lazily on first read: do not share one between
// goroutines.
package resolve
