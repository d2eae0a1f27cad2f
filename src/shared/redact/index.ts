export { applyRedaction } from './apply';
export { planRedaction } from './plan';
export { createMatcher, type Matcher, type NameRule, type RedactionRules } from './rules';
export { isMarker, lengthClass, marker, type RedactionFinding, type RedactionWhere } from './marker';
