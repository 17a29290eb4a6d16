#include "app/messages.h"

#include <gtest/gtest.h>

#include <set>
#include <string>

using namespace etude::app;

TEST(Messages, EveryMicStateHasAHeadlineAndAdvice) {
  std::set<std::string> names;
  for (int code = 0; code <= 6; ++code) {
    const MicState s = mic_state_from_int(code);
    EXPECT_EQ(int(s), code);
    EXPECT_FALSE(mic_message(s).headline.empty());
    EXPECT_FALSE(mic_message(s).advice.empty());
    names.insert(std::string(mic_state_name(s)));
  }
  EXPECT_EQ(names.size(), 7u);
}

TEST(Messages, DeniedTellsAChromebookUserWhatToDo) {
  const Message m = mic_message(MicState::Denied);
  EXPECT_NE(m.advice.find("Chromebook"), std::string_view::npos);
  EXPECT_NE(m.advice.find("Always allow"), std::string_view::npos);
}

TEST(Messages, UnknownCodesAreFailures) {
  EXPECT_EQ(mic_state_from_int(42), MicState::Failed);
  EXPECT_EQ(mic_state_from_int(-1), MicState::Failed);
  EXPECT_EQ(model_state_from_int(9), ModelState::Failed);
  EXPECT_EQ(model_state_from_int(2), ModelState::Ready);
}
