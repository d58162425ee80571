// Package doccheck holds the tests that keep the repository's Markdown
// true: every relative link and #anchor resolves, and every Go name the
// guides mention as pkg.Name (ogm.Then, people.PersonCity, …) exists in
// the package it names. It has no code of its own.
package doccheck
