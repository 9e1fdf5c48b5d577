import { createCustomRule } from './create_custom_rule.js';
import { describeCodeAnalyzerRule } from './describe_code_analyzer_rule.js';
import { getAstNodesToGenerateXpath } from './get_ast_nodes_to_generate_xpath.js';
import { listCodeAnalyzerRules } from './list_code_analyzer_rules.js';
import { queryCodeAnalyzerResults } from './query_code_analyzer_results.js';
import { runCodeAnalyzer } from './run_code_analyzer.js';
import { scanApexClassForAntipatterns } from './scan_apex_class_for_antipatterns.js';

/** This toolset's tools, in the order the README lists them. */
export const tools = [
  runCodeAnalyzer,
  queryCodeAnalyzerResults,
  listCodeAnalyzerRules,
  describeCodeAnalyzerRule,
  createCustomRule,
  getAstNodesToGenerateXpath,
  scanApexClassForAntipatterns,
];
