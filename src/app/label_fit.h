#pragma once
// Fitting a long name into a narrow box (a combo box on a phone) without losing any of it.

#include <string>
#include <string_view>

namespace etude::app {

struct FittedLabel {
  std::string box;    // what the box shows
  std::string below;  // the rest, to write underneath; empty when the whole name fits
};

/// `width(text)` measures text in the same units as `room`. A name that fits is shown whole. Otherwise
/// the box shows the name without its closing bracket ("Descant recorder" + "(sounds an octave
/// higher)" underneath) or, when that is still too long, its first words and "…" with the whole name
/// underneath; with not even one word room, the box is empty and the name is all underneath.
template <class Width>
FittedLabel fit_label(std::string_view name, float room, Width&& width) {
  const auto fits = [&](const std::string& s) { return width(std::string_view(s)) <= room; };
  std::string whole(name);
  if (fits(whole)) return {whole, {}};
  if (const auto bracket = name.find(" ("); bracket != std::string_view::npos) {
    std::string head(name.substr(0, bracket));
    if (fits(head)) return {head, std::string(name.substr(bracket + 1))};
  }
  for (auto cut = name.rfind(' '); cut != std::string_view::npos && cut > 0; cut = name.rfind(' ', cut - 1)) {
    std::string head = std::string(name.substr(0, cut)) + "\u2026";
    if (fits(head)) return {head, whole};
  }
  return {{}, whole};
}

}  // namespace etude::app
