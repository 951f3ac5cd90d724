package config

import (
	"net/url"
	"reflect"
	"slices"
	"testing"
)

// sameConfig compares two parsed configs ignoring Line numbers, with URLs
// compared by their text. loose also takes an empty list or map to equal a
// missing one, which reads the same (`keys: {}` and no keys:).
func sameConfig(t *testing.T, got, want *Config, loose bool) {
	t.Helper()
	g, w := *got, *want
	g.secrets, g.secretValues, w.secrets, w.secretValues = nil, nil, nil, nil
	g.lines, w.lines = nil, nil
	g.Mirrors, w.Mirrors = slices.Clone(g.Mirrors), slices.Clone(w.Mirrors)
	gv, wv := reflect.ValueOf(&g).Elem(), reflect.ValueOf(&w).Elem()
	normalize(gv, loose)
	normalize(wv, loose)
	if reflect.DeepEqual(&g, &w) {
		return
	}
	for i := 0; i < gv.NumField(); i++ {
		if f := gv.Type().Field(i); f.IsExported() && !reflect.DeepEqual(gv.Field(i).Interface(), wv.Field(i).Interface()) {
			t.Errorf("%s differs:\n got %+v\nwant %+v", f.Name, gv.Field(i).Interface(), wv.Field(i).Interface())
		}
	}
}

// normalize zeroes Line fields and replaces URLs by URLs holding only their
// text, in place; loose turns empty slices and maps into nil. The configs
// passed in must not be used afterwards: nested slices are shared.
func normalize(v reflect.Value, loose bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			return
		}
		if u, ok := v.Interface().(*url.URL); ok {
			v.Set(reflect.ValueOf(&url.URL{Opaque: u.String()}))
			return
		}
		normalize(v.Elem(), loose)
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			switch f := v.Type().Field(i); {
			case !f.IsExported():
			case f.Name == "Line":
				v.Field(i).SetInt(0)
			default:
				normalize(v.Field(i), loose)
			}
		}
	case reflect.Slice:
		if loose && v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
		}
		for i := 0; i < v.Len(); i++ {
			normalize(v.Index(i), loose)
		}
	case reflect.Map:
		if loose && v.Len() == 0 {
			v.Set(reflect.Zero(v.Type()))
			return
		}
		if !loose || v.Type().Elem().Kind() != reflect.Slice {
			return
		}
		for _, k := range v.MapKeys() {
			if v.MapIndex(k).Len() == 0 {
				v.SetMapIndex(k, reflect.Zero(v.Type().Elem()))
			}
		}
	}
}

// fieldPaths lists the settings of a type ("Notify.Channels.Mentions.All"),
// looking into structs, pointers to structs and lists of structs.
func fieldPaths(t reflect.Type, path string, out map[string]bool) {
	switch {
	case t.Kind() == reflect.Pointer:
		fieldPaths(t.Elem(), path, out)
	case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
		fieldPaths(t.Elem(), path, out)
	case t.Kind() == reflect.Struct:
		for i := 0; i < t.NumField(); i++ {
			if f := t.Field(i); f.IsExported() && f.Name != "Line" {
				fieldPaths(f.Type, path+"."+f.Name, out)
			}
		}
	default:
		out[path] = true
	}
}

// markSet records the paths of fieldPaths that hold a non-zero value
// somewhere in v (in any item of a list).
func markSet(v reflect.Value, path string, set map[string]bool) {
	switch {
	case v.Kind() == reflect.Pointer:
		if !v.IsNil() {
			markSet(v.Elem(), path, set)
		}
	case v.Kind() == reflect.Slice && v.Type().Elem().Kind() == reflect.Struct:
		for i := 0; i < v.Len(); i++ {
			markSet(v.Index(i), path, set)
		}
	case v.Kind() == reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() && f.Name != "Line" {
				markSet(v.Field(i), path+"."+f.Name, set)
			}
		}
	case v.Kind() == reflect.Slice || v.Kind() == reflect.Map:
		if v.Len() > 0 {
			set[path] = true
		}
	default:
		if !v.IsZero() {
			set[path] = true
		}
	}
}
