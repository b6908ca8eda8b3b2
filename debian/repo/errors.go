package repo

import "errors"

var (
	// ErrBadSignature: InRelease is not signed, or not by a key in the
	// keyring, or its signature does not cover the text served.
	ErrBadSignature = errors.New("bad InRelease signature")
	// ErrExpired: the Release's Valid-Until date has passed.
	ErrExpired = errors.New("Release file expired")
	// ErrNotYetValid: the Release's Date is in the future.
	ErrNotYetValid = errors.New("Release file not valid yet")
	// ErrWrongSuite: the signed Release is for another suite than the one
	// requested (a mirror replaying another suite's metadata).
	ErrWrongSuite = errors.New("Release file is for another suite")
	// ErrMalformedRelease: the signed Release text cannot be parsed.
	ErrMalformedRelease = errors.New("malformed Release file")
	// ErrNotListed: the Release does not list an index the client needs
	// (unknown architecture or component).
	ErrNotListed = errors.New("index not listed in Release")
	// ErrNoSource: no Debian mirror could be found in the apt configuration.
	ErrNoSource = errors.New("no Debian mirror configured")
)
