#include "dsp/feature_frame.h"

#include <gtest/gtest.h>

#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace etude::dsp;

TEST(FeatureFrame, TheOriginalFieldsStayFirstInOrder) {
  FeatureFrame f;
  const float* base = reinterpret_cast<const float*>(&f);
  EXPECT_EQ(&f.time_s, base + 0);
  EXPECT_EQ(&f.f0_hz, base + 1);
  EXPECT_EQ(&f.confidence, base + 2);
  EXPECT_EQ(&f.rms, base + 3);
  EXPECT_EQ(&f.rms_dbfs, base + 4);
  EXPECT_EQ(&f.chroma[0], base + 15);
  EXPECT_EQ(&f.mfcc[12], base + 51);
  EXPECT_EQ(&f.semitones[0], base + 52);  // appended after the original 52
  EXPECT_EQ(&f.semitones[kSemitoneBins - 1], base + kFeatureFrameFloats - 1);
}

TEST(FeatureFrame, NamesAreUniqueAndOnePerFloat) {
  std::set<std::string> names(kFeatureFrameFieldNames.begin(), kFeatureFrameFieldNames.end());
  EXPECT_EQ(names.size(), kFeatureFrameFloats);
  EXPECT_STREQ(kFeatureFrameFieldNames[15], "chroma_0");
  EXPECT_STREQ(kFeatureFrameFieldNames[27], "bass_chroma_0");
  EXPECT_STREQ(kFeatureFrameFieldNames[52], "semitone_28");
  EXPECT_STREQ(kFeatureFrameFieldNames[kFeatureFrameFloats - 1], "semitone_95");
}

// web/worklet/feature-frame.js must list exactly the same names in the same order.
TEST(FeatureFrame, JavaScriptMirrorMatches) {
  std::ifstream in(std::string(ETUDE_SOURCE_DIR) + "/web/worklet/feature-frame.js");
  ASSERT_TRUE(in) << "web/worklet/feature-frame.js is missing";
  std::stringstream text;
  text << in.rdbuf();
  const std::string js = text.str();
  const auto begin = js.find("FEATURE_FRAME_FIELDS = [");
  ASSERT_NE(begin, std::string::npos);
  const auto end = js.find("];", begin);
  const std::string list = js.substr(begin, end - begin);
  std::vector<std::string> names;
  const std::regex quoted("'([a-z0-9_]+)'");
  for (auto it = std::sregex_iterator(list.begin(), list.end(), quoted); it != std::sregex_iterator(); ++it) names.push_back((*it)[1]);
  ASSERT_EQ(names.size(), kFeatureFrameFloats);
  for (std::size_t i = 0; i < names.size(); ++i) EXPECT_EQ(names[i], kFeatureFrameFieldNames[i]) << i;
}
