/// The OpenAPI 3 description of `/api/v1`, written by hand beside `APIController`: every route,
/// parameter and error shape there is described here. Served at `/api/openapi.json`.
enum OpenAPIDocument {
    static let base = #"""
{
  "openapi": "3.0.3",
  "info": {
    "title": "EduLedger 教育局业务台账 API",
    "version": "1.0.0",
    "description": "学校、学生、教职工与审计日志。使用网页登录后的会话 Cookie（eduledger_session）认证；修改数据的请求须在 X-CSRF-Token 头中带上 GET /api/v1/me 返回的 csrfToken。用户只能看到其所属范围（全区、乡镇、学区或学校）内的记录：范围外的记录返回 404。"
  },
  "servers": [{"url": "/"}],
  "security": [{"session": []}],
  "paths": {
    "/api/v1/cases": {
      "get": {
        "operationId": "listCases", "summary": "本人可见的案件（信访、建议提案、安全隐患、行政许可、年检、违规）",
        "parameters": [
          {"name": "kind", "in": "query", "schema": {"type": "string", "enum": ["petition", "deputyProposal", "cppccProposal", "hazard", "licence", "annualInspection", "violation"]}},
          {"name": "state", "in": "query", "schema": {"type": "string"}},
          {"name": "open", "in": "query", "description": "1 = 只列未办结", "schema": {"type": "string", "enum": ["1"]}},
          {"name": "overdue", "in": "query", "description": "1 = 只列已超期", "schema": {"type": "string", "enum": ["1"]}},
          {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0}},
          {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 1000}}
        ],
        "responses": {
          "200": {"description": "案件列表（items 为案件，含 deadlineStatus 期限状态）", "content": {"application/json": {"schema": {"type": "object"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      },
      "post": {
        "operationId": "createCase", "summary": "登记新案件（须 X-CSRF-Token）；fields 为登记步骤的字段，attachments 为 {name, contentType, base64}：按文件头识别类型，只接受 JPEG、PNG、PDF，每个不超过10 MB，一次最多5个（contentType 仅供参考）",
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["kind"], "properties": {
          "kind": {"type": "string"}, "title": {"type": "string"}, "fields": {"type": "object", "additionalProperties": {"type": "string"}},
          "attachments": {"type": "array", "items": {"type": "object", "required": ["name", "contentType", "base64"], "properties": {
            "name": {"type": "string"}, "contentType": {"type": "string"}, "base64": {"type": "string"}}}}}}}}},
        "responses": {
          "201": {"description": "案件、办理过程和当前可办理的步骤", "content": {"application/json": {"schema": {"type": "object"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "422": {"$ref": "#/components/responses/Unprocessable"}
        }
      }
    },
    "/api/v1/cases/{id}": {
      "get": {
        "operationId": "getCase", "summary": "案件详情、办理过程（含附件的名称、大小、SHA-256）和本人当前可办理的步骤",
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "responses": {
          "200": {"description": "案件", "content": {"application/json": {"schema": {"type": "object"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/cases/{id}/steps": {
      "post": {
        "operationId": "takeCaseStep", "summary": "办理一个步骤（须 X-CSRF-Token）；version 为所见案件版本，过期则拒绝；角色、状态、必填项或附件（JPEG、PNG、PDF，每个不超过10 MB）不符时返回 422 并说明原因",
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["action"], "properties": {
          "action": {"type": "string"}, "version": {"type": "integer"}, "fields": {"type": "object", "additionalProperties": {"type": "string"}},
          "attachments": {"type": "array", "items": {"type": "object"}}}}}}},
        "responses": {
          "200": {"description": "办理后的案件", "content": {"application/json": {"schema": {"type": "object"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "422": {"$ref": "#/components/responses/Unprocessable"}
        }
      }
    },
    "/api/v1/me": {
      "get": {
        "operationId": "getMe", "summary": "当前用户、角色、权限和 CSRF 令牌",
        "responses": {
          "200": {"description": "当前用户", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Me"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/v1/schools": {
      "get": {
        "operationId": "listSchools", "summary": "本人范围内的学校",
        "parameters": [
          {"name": "township", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}},
          {"name": "zone", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}},
          {"name": "type", "in": "query", "schema": {"$ref": "#/components/schemas/SchoolType"}}
        ],
        "responses": {
          "200": {"description": "学校列表", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SchoolList"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"}
        }
      }
    },
    "/api/v1/schools/{id}": {
      "get": {
        "operationId": "getSchool", "summary": "学校及本学年班级（含班额）",
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "responses": {
          "200": {"description": "学校", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/SchoolDetail"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/students": {
      "get": {
        "operationId": "listStudents", "summary": "在读学生（分页、检索）",
        "parameters": [
          {"name": "q", "in": "query", "description": "姓名、学籍号或身份证号的前缀", "schema": {"type": "string", "maxLength": 40}},
          {"name": "school", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}},
          {"name": "grade", "in": "query", "schema": {"$ref": "#/components/schemas/Grade"}},
          {"$ref": "#/components/parameters/Offset"},
          {"$ref": "#/components/parameters/Limit"}
        ],
        "responses": {
          "200": {"description": "一页学生", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StudentList"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/students/{id}": {
      "get": {
        "operationId": "getStudent", "summary": "学生及其学籍变动历史",
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "responses": {
          "200": {"description": "学生", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Student"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      },
      "patch": {
        "operationId": "patchStudent", "summary": "更正学生信息（只改所给字段；写入审计日志）",
        "parameters": [
          {"$ref": "#/components/parameters/Id"},
          {"name": "X-CSRF-Token", "in": "header", "required": true, "schema": {"type": "string"}}
        ],
        "requestBody": {"required": true, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StudentPatch"}}}},
        "responses": {
          "200": {"description": "修改后的学生", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Student"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"},
          "413": {"$ref": "#/components/responses/TooLarge"},
          "422": {"$ref": "#/components/responses/Unprocessable"}
        }
      }
    },
    "/api/v1/staff": {
      "get": {
        "operationId": "listStaff", "summary": "在职教职工（分页、检索）",
        "parameters": [
          {"name": "q", "in": "query", "schema": {"type": "string", "maxLength": 40}},
          {"name": "school", "in": "query", "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}},
          {"name": "post", "in": "query", "schema": {"type": "string", "enum": ["专任教师", "行政人员", "教辅人员", "工勤人员"]}},
          {"$ref": "#/components/parameters/Offset"},
          {"$ref": "#/components/parameters/Limit"}
        ],
        "responses": {
          "200": {"description": "一页教职工", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/StaffList"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/staff/{id}": {
      "get": {
        "operationId": "getStaff", "summary": "教职工",
        "parameters": [{"$ref": "#/components/parameters/Id"}],
        "responses": {
          "200": {"description": "教职工", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Staff"}}}},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"},
          "404": {"$ref": "#/components/responses/NotFound"}
        }
      }
    },
    "/api/v1/audit": {
      "get": {
        "operationId": "listAudit", "summary": "审计日志（仅系统管理员）",
        "parameters": [
          {"name": "entity", "in": "query", "schema": {"type": "string"}},
          {"name": "actor", "in": "query", "schema": {"type": "string"}},
          {"$ref": "#/components/parameters/Offset"},
          {"$ref": "#/components/parameters/Limit"}
        ],
        "responses": {
          "200": {"description": "审计记录，新的在前", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/AuditList"}}}},
          "400": {"$ref": "#/components/responses/BadRequest"},
          "401": {"$ref": "#/components/responses/Unauthorized"},
          "403": {"$ref": "#/components/responses/Forbidden"}
        }
      }
    },
    "/api/v1/draws": {"get": {"operationId": "listDraws", "summary": "本人范围内的电脑随机编班（新的在前）", "parameters": [{"name": "year", "in": "query", "description": "学年起始年份", "schema": {"type": "integer", "minimum": 2000, "maximum": 2100}}], "responses": {"200": {"description": "编班列表", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/DrawList"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}}}, "post": {"operationId": "createDraw", "summary": "新建起始年级编班（学校或管理员）", "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["schoolID", "schoolYear", "grade", "classCount"], "properties": {"schoolID": {"type": "integer", "format": "int64"}, "schoolYear": {"type": "integer"}, "grade": {"type": "string", "enum": ["一年级", "七年级", "高一"]}, "classCount": {"type": "integer", "minimum": 1, "maximum": 200}}}}}}, "responses": {"201": {"description": "新建的编班（草稿）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}},
    "/api/v1/draws/{id}": {"get": {"operationId": "getDraw", "summary": "编班详情：状态、名单摘要、种子组成、抽签结果、锁定后的变动", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}},
    "/api/v1/draws/{id}/record": {"get": {"operationId": "getDrawRecord", "summary": "公开的编班记录（eduledger verify-draw --record 读取的文件）", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "编班记录 JSON：columns 与 record（roster_hash、settings、seed_parts、engine_version、software_version、drawn_at、drawn_by、placements）", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}}}},
    "/api/v1/draws/{id}/report": {"get": {"operationId": "getDrawReport", "summary": "均衡报告（含插班后）：各班人数、均分、标准差、最低最高、分数段、性别、各标记", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "均衡报告（与 eduledger classes assign --report 相同的格式）", "content": {"application/json": {"schema": {"type": "object"}}}}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"$ref": "#/components/responses/Unprocessable"}}}},
    "/api/v1/draws/{id}/roster": {"post": {"operationId": "setDrawRoster", "summary": "上传名单（Base64 的 .csv/.xlsx）或从学籍库生成；仅草稿", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}, "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "properties": {"fromRegistry": {"type": "boolean"}, "fileName": {"type": "string"}, "contentBase64": {"type": "string"}, "classCount": {"type": "integer"}, "columns": {"type": "object", "properties": {"scores": {"type": "array", "items": {"type": "string"}}, "flags": {"type": "array", "items": {"type": "string"}}, "together": {"type": "string"}, "apart": {"type": "array", "items": {"type": "string"}}, "pin": {"type": "string"}}}}}}}}}},
    "/api/v1/draws/{id}/publish": {"post": {"operationId": "publishDrawRoster", "summary": "公布名单（摘要固定，此后不能更换）", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/api/v1/draws/{id}/seed-parts": {"post": {"operationId": "addDrawSeedPart", "summary": "记录一个现场输入的种子组成部分", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}, "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["value", "enteredBy"], "properties": {"value": {"type": "string", "maxLength": 100}, "enteredBy": {"type": "string", "maxLength": 60}, "capacity": {"type": "string", "enum": ["家长代表", "监督员", "公开值"]}}}}}}}},
    "/api/v1/draws/{id}/seed": {"post": {"operationId": "fixDrawSeed", "summary": "确定种子（各部分以“ + ”连接）", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/api/v1/draws/{id}/assign": {"post": {"operationId": "assignDraw", "summary": "编班", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/api/v1/draws/{id}/lock": {"post": {"operationId": "lockDraw", "summary": "锁定（不调）", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/api/v1/draws/{id}/lottery/labels": {"post": {"operationId": "drawClassLabels", "summary": "抽取班级名称（一次，不可重抽）", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}}},
    "/api/v1/draws/{id}/lottery/teachers": {"post": {"operationId": "drawHomeroomTeachers", "summary": "抽取班主任（本校专任教师，一次）", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}, "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["staffIDs"], "properties": {"staffIDs": {"type": "array", "items": {"type": "integer", "format": "int64"}}}}}}}}},
    "/api/v1/draws/{id}/late": {"post": {"operationId": "placeLateStudent", "summary": "插班：锁定后按均衡最优编入一个班，不移动他人；须填写理由", "parameters": [{"$ref": "#/components/parameters/Id"}], "responses": {"200": {"description": "该步骤完成后的编班", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Draw"}}}}, "400": {"$ref": "#/components/responses/BadRequest"}, "401": {"$ref": "#/components/responses/Unauthorized"}, "403": {"$ref": "#/components/responses/Forbidden"}, "404": {"$ref": "#/components/responses/NotFound"}, "422": {"description": "顺序或输入不符合编班规则（如已锁定不调、未填理由、名单有误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}}, "requestBody": {"required": true, "content": {"application/json": {"schema": {"type": "object", "required": ["studentID", "name", "gender", "reason"], "properties": {"studentID": {"type": "string"}, "name": {"type": "string"}, "gender": {"type": "string", "enum": ["男", "女"]}, "scores": {"type": "array", "items": {"type": "string"}}, "flags": {"type": "array", "items": {"type": "boolean"}}, "reason": {"type": "string"}}}}}}}}
  },
  "components": {
    "securitySchemes": {"session": {"type": "apiKey", "in": "cookie", "name": "eduledger_session"}},
    "parameters": {
      "Id": {"name": "id", "in": "path", "required": true, "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9223372036854775807}},
      "Offset": {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "maximum": 10000000, "default": 0}},
      "Limit": {"name": "limit", "in": "query", "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50}}
    },
    "responses": {
      "BadRequest": {"description": "参数或请求体有误（含逐字段错误）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unauthorized": {"description": "未登录", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Forbidden": {"description": "角色无权进行此操作，或 CSRF 令牌无效", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "NotFound": {"description": "记录不存在或不在本人范围内", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "TooLarge": {"description": "请求体超过1MB", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}},
      "Unprocessable": {"description": "格式正确但违反学籍规则（如随班就读须填写残疾类别）", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
    },
    "schemas": {
      "Draw": {"type": "object", "required": ["id", "schoolID", "schoolYear", "grade", "state", "stateTitle", "classCount", "columns", "labels", "teachers", "createdAt", "createdBy", "publicURL"], "properties": {"id": {"type": "integer", "format": "int64"}, "schoolID": {"type": "integer", "format": "int64"}, "schoolYear": {"type": "integer"}, "grade": {"type": "string"}, "state": {"type": "string", "enum": ["draft", "published", "seeded", "assigned", "locked"]}, "stateTitle": {"type": "string"}, "classCount": {"type": "integer"}, "columns": {"type": "object"}, "rosterFileName": {"type": "string", "nullable": true}, "rosterHash": {"type": "string", "nullable": true}, "studentCount": {"type": "integer", "nullable": true}, "seed": {"type": "string", "nullable": true}, "seedParts": {"type": "array", "items": {"type": "object"}}, "labels": {"type": "array", "items": {"type": "object"}}, "teachers": {"type": "array", "items": {"type": "object"}}, "changes": {"type": "array", "items": {"type": "object"}}, "createdAt": {"type": "string"}, "createdBy": {"type": "string"}, "publishedAt": {"type": "string", "nullable": true}, "seededAt": {"type": "string", "nullable": true}, "assignedAt": {"type": "string", "nullable": true}, "lockedAt": {"type": "string", "nullable": true}, "publicURL": {"type": "string", "description": "无需登录的公开核验页"}}},
      "DrawList": {"type": "object", "required": ["items", "total", "offset", "limit"], "properties": {"items": {"type": "array", "items": {"$ref": "#/components/schemas/Draw"}}, "total": {"type": "integer"}, "offset": {"type": "integer"}, "limit": {"type": "integer"}}},
      "Error": {
        "type": "object", "required": ["error"], "additionalProperties": false,
        "properties": {"error": {"type": "object", "required": ["code", "message"], "additionalProperties": false, "properties": {
          "code": {"type": "string", "description": "稳定的英文错误码，如 not_found、auth.forbidden、request.invalid_body"},
          "message": {"type": "string", "description": "中文说明"},
          "fields": {"type": "array", "items": {"type": "object", "required": ["field", "message"], "properties": {
            "field": {"type": "string"}, "message": {"type": "string"}}}}
        }}}
      },
      "Me": {"type": "object", "required": ["login", "displayName", "role", "roleTitle", "scope", "permissions", "csrfToken"], "properties": {
        "login": {"type": "string"}, "displayName": {"type": "string"}, "role": {"type": "string"}, "roleTitle": {"type": "string"},
        "scope": {"type": "string", "enum": ["district", "township", "zone", "school"]}, "scopeID": {"type": "integer", "nullable": true},
        "permissions": {"type": "array", "items": {"type": "string"}}, "csrfToken": {"type": "string"}}},
      "SchoolType": {"type": "string", "enum": ["幼儿园", "小学", "初级中学", "九年一贯制学校", "完全中学", "高级中学", "中等职业学校", "特殊教育学校", "成人文化技术学校"]},
      "Grade": {"type": "string", "enum": ["小班", "中班", "大班", "一年级", "二年级", "三年级", "四年级", "五年级", "六年级", "七年级", "八年级", "九年级", "高一", "高二", "高三", "中职一年级", "中职二年级", "中职三年级"]},
      "School": {"type": "object", "required": ["id", "code", "name", "type", "ownership", "urbanRural", "townshipID", "opened", "studentsEnrolled"], "properties": {
        "id": {"type": "integer"}, "code": {"type": "string"}, "name": {"type": "string"}, "type": {"$ref": "#/components/schemas/SchoolType"},
        "ownership": {"type": "string"}, "urbanRural": {"type": "string"}, "townshipID": {"type": "integer"},
        "zoneID": {"type": "integer", "nullable": true}, "centralSchoolID": {"type": "integer", "nullable": true},
        "opened": {"type": "string", "format": "date"}, "closed": {"type": "string", "format": "date", "nullable": true},
        "mergedIntoID": {"type": "integer", "nullable": true}, "studentsEnrolled": {"type": "integer"}}},
      "SchoolList": {"type": "object", "required": ["items", "total", "offset", "limit"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/School"}}, "total": {"type": "integer"},
        "offset": {"type": "integer"}, "limit": {"type": "integer"}}},
      "Class": {"type": "object", "required": ["id", "schoolYear", "grade", "number", "name", "size"], "properties": {
        "id": {"type": "integer"}, "schoolYear": {"type": "integer"}, "grade": {"$ref": "#/components/schemas/Grade"},
        "number": {"type": "integer"}, "name": {"type": "string"}, "size": {"type": "integer"},
        "sizeCategory": {"type": "string", "enum": ["大班额", "超大班额"], "nullable": true}}},
      "SchoolDetail": {"type": "object", "required": ["school", "classes"], "properties": {
        "school": {"$ref": "#/components/schemas/School"}, "classes": {"type": "array", "items": {"$ref": "#/components/schemas/Class"}}}},
      "StudentSummary": {"type": "object", "required": ["id", "studentNumber", "name", "gender", "birthDate", "schoolID", "grade"], "properties": {
        "id": {"type": "integer"}, "studentNumber": {"type": "string"}, "name": {"type": "string"}, "gender": {"type": "string", "enum": ["男", "女"]},
        "birthDate": {"type": "string", "format": "date"}, "schoolID": {"type": "integer"}, "grade": {"$ref": "#/components/schemas/Grade"},
        "classID": {"type": "integer", "nullable": true}}},
      "StudentList": {"type": "object", "required": ["items", "total", "offset", "limit"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/StudentSummary"}}, "total": {"type": "integer"},
        "offset": {"type": "integer"}, "limit": {"type": "integer"}}},
      "Flags": {"type": "object", "required": ["leftBehind", "migrantWorkerChild", "inclusiveClass", "boarding"], "properties": {
        "leftBehind": {"type": "boolean"}, "migrantWorkerChild": {"type": "boolean"},
        "disability": {"type": "string", "nullable": true, "enum": ["视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾", null]},
        "inclusiveClass": {"type": "boolean"},
        "poverty": {"type": "string", "nullable": true, "enum": ["建档立卡", "低保", "特困供养", null]},
        "boarding": {"type": "boolean"}}},
      "Enrolment": {"type": "object", "required": ["id", "schoolID", "grade", "from", "entry"], "properties": {
        "id": {"type": "integer"}, "schoolID": {"type": "integer"}, "grade": {"$ref": "#/components/schemas/Grade"},
        "classID": {"type": "integer", "nullable": true}, "from": {"type": "string", "format": "date"},
        "until": {"type": "string", "format": "date", "nullable": true}, "entry": {"type": "string"}, "exit": {"type": "string", "nullable": true}}},
      "Student": {"type": "object", "required": ["id", "studentNumber", "name", "gender", "birthDate", "ethnicity", "hukouType", "flags", "enrolments"], "properties": {
        "id": {"type": "integer"}, "studentNumber": {"type": "string"}, "name": {"type": "string"}, "gender": {"type": "string", "enum": ["男", "女"]},
        "birthDate": {"type": "string", "format": "date"}, "residentID": {"type": "string", "nullable": true, "description": "可修改学籍的角色看到完整号码，其他角色看到遮盖后的号码"},
        "ethnicity": {"type": "string"}, "hukouType": {"type": "string", "enum": ["农业", "非农业", "居民"]},
        "flags": {"$ref": "#/components/schemas/Flags"}, "enrolments": {"type": "array", "items": {"$ref": "#/components/schemas/Enrolment"}}}},
      "StudentPatch": {"type": "object", "additionalProperties": false, "minProperties": 1, "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 30, "description": "不含数字、控制字符和 < > \" & ;", "pattern": "^[^0-9０-９<>\"&;\\u0000-\\u001f\\u007f-\\u009f]*[^\\s0-9０-９<>\"&;\\u0000-\\u001f\\u007f-\\u009f][^0-9０-９<>\"&;\\u0000-\\u001f\\u007f-\\u009f]*$"}, "ethnicity": {"type": "string", "description": "国家标准56个民族之一", "enum": ["汉族", "蒙古族", "回族", "藏族", "维吾尔族", "苗族", "彝族", "壮族", "布依族", "朝鲜族", "满族", "侗族", "瑶族", "白族", "土家族", "哈尼族", "哈萨克族", "傣族", "黎族", "傈僳族", "佤族", "畲族", "高山族", "拉祜族", "水族", "东乡族", "纳西族", "景颇族", "柯尔克孜族", "土族", "达斡尔族", "仫佬族", "羌族", "布朗族", "撒拉族", "毛南族", "仡佬族", "锡伯族", "阿昌族", "普米族", "塔吉克族", "怒族", "乌孜别克族", "俄罗斯族", "鄂温克族", "德昂族", "保安族", "裕固族", "京族", "塔塔尔族", "独龙族", "鄂伦春族", "赫哲族", "门巴族", "珞巴族", "基诺族"]},
        "hukouType": {"type": "string", "enum": ["农业", "非农业", "居民"]},
        "leftBehind": {"type": "boolean"}, "migrantWorkerChild": {"type": "boolean"}, "boarding": {"type": "boolean"}, "inclusiveClass": {"type": "boolean"},
        "disability": {"type": "string", "nullable": true, "enum": ["视力残疾", "听力残疾", "言语残疾", "肢体残疾", "智力残疾", "精神残疾", "多重残疾", "", null]},
        "poverty": {"type": "string", "nullable": true, "enum": ["建档立卡", "低保", "特困供养", "", null]}}},
      "Staff": {"type": "object", "required": ["id", "staffNumber", "name", "gender", "post", "established", "qualification", "title", "subjects", "backbone", "hired"], "properties": {
        "id": {"type": "integer"}, "staffNumber": {"type": "string"}, "name": {"type": "string"}, "gender": {"type": "string"},
        "schoolID": {"type": "integer", "nullable": true}, "post": {"type": "string"}, "established": {"type": "boolean"},
        "qualification": {"type": "string"}, "title": {"type": "string"}, "subjects": {"type": "array", "items": {"type": "string"}},
        "backbone": {"type": "boolean"}, "hired": {"type": "string", "format": "date"}, "left": {"type": "string", "format": "date", "nullable": true}}},
      "StaffList": {"type": "object", "required": ["items", "total", "offset", "limit"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/Staff"}}, "total": {"type": "integer"},
        "offset": {"type": "integer"}, "limit": {"type": "integer"}}},
      "AuditEntry": {"type": "object", "required": ["id", "at", "actor", "action", "entity", "entityID"], "properties": {
        "id": {"type": "integer"}, "at": {"type": "string"}, "actor": {"type": "string"}, "action": {"type": "string", "enum": ["insert", "update", "bulk_load", "delete"]},
        "entity": {"type": "string"}, "entityID": {"type": "string"}, "before": {"type": "string", "nullable": true}, "after": {"type": "string", "nullable": true}}},
      "AuditList": {"type": "object", "required": ["items", "total", "offset", "limit"], "properties": {
        "items": {"type": "array", "items": {"$ref": "#/components/schemas/AuditEntry"}}, "total": {"type": "integer"},
        "offset": {"type": "integer"}, "limit": {"type": "integer"}}}
    }
  }
}
"""#
}
