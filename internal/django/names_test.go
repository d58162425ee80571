package django

import "testing"

func TestCamelCaseToSpaces(t *testing.T) {
	for in, want := range map[string]string{
		"Post": "post", "TwitterUser": "twitter user", "HTTPServer": "http server",
		"URL": "url", "Post2Go": "post2 go", "myModel": "my model", "ABCd": "ab cd",
	} {
		if got := CamelCaseToSpaces(in); got != want {
			t.Errorf("CamelCaseToSpaces(%q) = %q, want %q", in, got, want)
		}
	}
}
