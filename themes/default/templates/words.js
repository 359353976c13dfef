{# The words the page tools show (assets/tools.js), written to assets/words.js. A
   template, so that they are in the site's script like the templates' own words. #}
window.gongkaiWords = {
  "switch": "简繁转换",
  "original": "原文",
  "view_original": "查看原文",
  "tools": "页面工具",
  "size": "字号：",
  "large": "大",
  "medium": "中",
  "small": "小",
  "print": "打印",
  "close": "关闭窗口",
  "printed": "打印日期："
};
